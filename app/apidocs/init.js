// Starts Swagger UI on /docs with the API's OpenAPI document (kept out of the page itself:
// the Content-Security-Policy allows no inline script).
const root = document.getElementById('swagger-ui');
window.ui = window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  deepLinking: true,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
