// "Near me", with the visitor's permission. In the catalogue, the browser's position,
// rounded to three decimals (about 100 m), reloads the page sorted by distance
// (?near=lat,lon). On a tour's overview, the stops that have a place are sorted in the page
// by their distance, and the position is not sent anywhere. No map is drawn: nothing is
// fetched from other hosts.
const EARTH_RADIUS_KM = 6371.0088;

function distanceKm(a, b) {
  const rad = (degrees) => (degrees * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function reloadNear(position) {
  const { latitude, longitude } = position.coords;
  const url = new URL(window.location.href);
  url.searchParams.set("near", `${latitude.toFixed(3)},${longitude.toFixed(3)}`);
  url.searchParams.delete("page");
  window.location.assign(url.href);
}

function sortStops(box, status) {
  const list = document.querySelector("ol.stops");
  const format = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
  return (position) => {
    const here = position.coords;
    const items = [...list.children].map((item, index) => {
      const { latitude, longitude } = item.dataset;
      const km = latitude === undefined ? null : distanceKm(here, { latitude: Number(latitude), longitude: Number(longitude) });
      return { item, index, km };
    });
    items.sort((a, b) => (a.km === null) - (b.km === null) || (a.km ?? 0) - (b.km ?? 0) || a.index - b.index);
    for (const { item, km } of items) {
      if (km !== null) {
        let label = item.querySelector(".distance");
        if (!label) {
          label = Object.assign(document.createElement("p"), { className: "meta distance" });
          item.append(label);
        }
        label.textContent = box.dataset.msgDistance.replace("{distance}", format.format(km < 100 ? km : Math.round(km)));
      }
      list.append(item);
    }
    status.textContent = box.dataset.msgSorted;
  };
}

function offer(box, button, status, onPosition) {
  if (!box || !button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = box.dataset.msgFinding;
    navigator.geolocation.getCurrentPosition(onPosition, () => {
      status.textContent = box.dataset.msgRefused;
    }, { maximumAge: 60000, timeout: 20000 });
  });
}

const catalogue = document.getElementById("near-me");
offer(catalogue, document.getElementById("near-me-button"), document.getElementById("near-me-status"), reloadNear);
const stops = document.getElementById("near-stops");
if (stops) {
  const status = document.getElementById("near-stops-status");
  offer(stops, document.getElementById("near-stops-button"), status, sortStops(stops, status));
}
