// "Tours near me": with the visitor's permission, the browser's position, rounded to three
// decimals (about 100 m), reloads the catalogue sorted by distance (?near=lat,lon). The
// position goes nowhere else, and no map is drawn: nothing is fetched from other hosts.
const box = document.getElementById("near-me");
const button = document.getElementById("near-me-button");
const status = document.getElementById("near-me-status");

function sortByDistance(position) {
  const { latitude, longitude } = position.coords;
  const url = new URL(window.location.href);
  url.searchParams.set("near", `${latitude.toFixed(3)},${longitude.toFixed(3)}`);
  url.searchParams.delete("page");
  window.location.assign(url.href);
}

if (box && button && "geolocation" in navigator) {
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = box.dataset.msgFinding;
    navigator.geolocation.getCurrentPosition(sortByDistance, () => {
      status.textContent = box.dataset.msgRefused;
    }, { maximumAge: 60000, timeout: 20000 });
  });
}
