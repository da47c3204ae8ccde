// Load model-viewer for the studio's viewers, with the app's own decoders (no CDN).
const config = JSON.parse(document.getElementById("studio-viewer-config").textContent);
self.ModelViewerElement = {
  meshoptDecoderLocation: config.meshoptDecoderLocation,
  dracoDecoderLocation: config.dracoDecoderLocation,
  ktx2TranscoderLocation: config.ktx2TranscoderLocation,
};
if (document.querySelector("model-viewer")) import(config.modelViewer);
