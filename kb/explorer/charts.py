"""Server-side pictures: the co-mention network of an institution as SVG.

A radial layout, deterministic and readable at page width without zooming:
the institution in the middle, the institutions it shares findings with on a
circle around it (most shared first, clockwise from the top), spokes as wide
as the number of shared findings, and lines between neighbours that share
findings with it too. Every label is escaped; names are shortened on the
picture and given whole in a `<title>` and in the table beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 1000
HEIGHT = 560
RADIUS = 190
MAX_LABEL = 30


@dataclass(frozen=True, slots=True)
class Node:
    key: str
    label: str
    weight: int
    href: str | None = None


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def _link(node: Node, inner: str) -> str:
    if not node.href:
        return inner
    return f'<a href="{escape(node.href)}">{inner}</a>'


def network_svg(
    center: Node,
    neighbours: list[Node],
    edges: list[tuple[str, str, int]],
    *,
    title: str,
    shared_word: str,
) -> Markup:
    """The picture; `edges` are (key, key, shared findings) among `neighbours`."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    heaviest = max([n.weight for n in neighbours] + [1])
    heaviest_edge = max([w for _, _, w in edges] + [1])
    position: dict[str, tuple[float, float, float]] = {}
    count = len(neighbours)
    for i, node in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        position[node.key] = (cx + RADIUS * math.cos(angle), cy + RADIUS * math.sin(angle), angle)

    def size(weight: int) -> float:
        return 5 + 9 * math.sqrt(weight / heaviest)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="network" role="img" aria-labelledby="network-title">',
        f'<title id="network-title">{escape(title)}</title>',
    ]
    # Lines between neighbours first, under everything else.
    for a, b, weight in edges:
        if a in position and b in position:
            (x1, y1, _), (x2, y2, _) = position[a], position[b]
            width = 0.8 + 3.2 * weight / heaviest_edge
            parts.append(
                f'<line class="edge-between" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                f'y2="{y2:.1f}" stroke-width="{width:.1f}"><title>{weight} {escape(shared_word)}'
                "</title></line>"
            )
    for node in neighbours:
        x, y, _ = position[node.key]
        width = 1 + 7 * node.weight / heaviest
        parts.append(
            f'<line class="edge" x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke-width="{width:.1f}"><title>{escape(node.label)}: {node.weight} '
            f"{escape(shared_word)}</title></line>"
        )
    for node in neighbours:
        x, y, angle = position[node.key]
        r = size(node.weight)
        cos = math.cos(angle)
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        lx = x + (r + 6) * cos
        ly = y + (r + 6) * math.sin(angle) + 4
        if anchor == "middle":
            ly += 8 if math.sin(angle) > 0 else -4
        label = f"{_short(node.label)} ({node.weight})"
        inner = (
            f'<g class="node"><title>{escape(node.label)}: {node.weight} '
            f"{escape(shared_word)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{escape(label)}</text></g>'
        )
        parts.append(_link(node, inner))
    parts.append(
        f'<g class="node center"><title>{escape(center.label)}</title>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="16"/>'
        f'<text x="{cx:.1f}" y="{cy + 34:.1f}" text-anchor="middle">'
        f"{escape(_short(center.label))}</text></g>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above went through escape()
