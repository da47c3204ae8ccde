"""An emulated WebXR headset for browser tests: IWER (the npm devDependency ``iwer``) as a
Meta Quest 3, installed before the page's own scripts."""

from panorama_site import ROOT

IWER = ROOT / "node_modules" / "iwer" / "build" / "iwer.min.js"
INSTALL_HEADSET = (
    "window.xrDevice = new IWER.XRDevice(IWER.metaQuest3);"
    "window.xrDevice.installRuntime({ forceInstall: true });"
)
