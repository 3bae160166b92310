// Starts Swagger UI on /docs (a file, not an inline script: the pages' CSP allows only files).
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui" });
});
