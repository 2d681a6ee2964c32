// nolkumuh map: draws the GeoJSON layer the server prepared (colours, labels, links included).
// No tiles unless the deployment sets a tile URL: polygons on a plain background work offline.
// Every name, label and status is put into the page as text, never as HTML: a kawasan or RW name
// typed by a user must not run script in another visitor's browser (Leaflet treats strings as HTML).

// Above this many polygons (a province's or the country's kelurahan) outlines take the fill colour.
const MANY_FEATURES = 2000;

// A DOM node holding ``value`` as plain text (what Leaflet tooltips get instead of a string).
function textNode(value) {
  const span = document.createElement("span");
  span.textContent = value == null ? "" : String(value);
  return span;
}

// Leaflet's attribution control only takes HTML strings: escape the deployment's text.
function escapeHtml(value) {
  const map = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  return String(value).replace(/[&<>"']/g, (c) => map[c]);
}

// Follow a feature's link only within this site (never a javascript: or foreign address).
function openSameSite(url) {
  if (!url) return;
  const target = new URL(url, window.location.href);
  if (target.origin === window.location.origin) window.location.assign(target.href);
}

const element = document.getElementById("map");
if (element && window.L) {
  const map = L.map(element, { preferCanvas: false, zoomSnap: 0.25 });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: escapeHtml(element.dataset.attribution || ""), maxZoom: 19 }).addTo(map);
  }
  map.setView([-7.0, 110.4], 9);
  const status = document.getElementById("map-status");
  fetch(element.dataset.geojson, { headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then((data) => {
      // A whole country's kelurahan are specks at its zoom: a dark outline would hide their colour,
      // so many features are outlined in their own colour; a city's RTs keep the dark borders.
      const many = (data.features || []).length > MANY_FEATURES;
      const layer = L.geoJSON(data, {
        style: (feature) => ({
          color: many ? feature.properties.color : "#333",
          weight: 1,
          fillColor: feature.properties.color,
          fillOpacity: 0.8,
        }),
        onEachFeature: (feature, shape) => {
          shape.bindTooltip(textNode(feature.properties.tooltip), { sticky: true });
          shape.on("click", () => openSameSite(feature.properties.url));
        },
      }).addTo(map);
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [10, 10] });
        // 11.112 in Indonesian, 11,112 in English: the page's language groups the thousands
        const count = layer.getLayers().length.toLocaleString(document.documentElement.lang || "id");
        status.textContent = element.dataset.loaded.replace("{n}", count);
      } else {
        status.textContent = element.dataset.empty;
      }
      const legend = L.control({ position: "bottomright" });
      legend.onAdd = () => {
        const box = L.DomUtil.create("div", "map-legend");
        for (const [colour, label] of data.legend) {
          const row = L.DomUtil.create("div", "", box);
          const swatch = L.DomUtil.create("span", "swatch", row);
          swatch.style.background = String(colour);
          row.append(document.createTextNode(" " + String(label)));
        }
        return box;
      };
      legend.addTo(map);
      element.dataset.ready = "true";
    })
    .catch(() => { status.textContent = element.dataset.failed; element.dataset.ready = "error"; });
}
