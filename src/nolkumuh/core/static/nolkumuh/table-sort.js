// nolkumuh table sort: every <table> with a <thead> sorts by a click (or Enter/Space) on a header.
// Numbers are read in the page's format ("1.234,5", "87,5 %", "Rp 1.000"; "1,234.5" in English),
// dates as "12 Mar 2025", the rest with the Indonesian collation. "–" and empty cells stay last.
// Rows in <tfoot> (totals) are never moved. Opt out with <table data-nosort>; a cell may give
// its own key with data-sort="...", a header cell opts its column out with data-nosort.
// Plain ES module, no library.

const EMPTY = new Set(["", "–", "-", "—"]);
const MONTHS = {
  jan: 0, feb: 1, mar: 2, apr: 3, mei: 4, may: 4, jun: 5, jul: 6, agu: 7, agt: 7, aug: 7,
  sep: 8, okt: 9, oct: 9, nov: 10, des: 11, dec: 11,
};
const collator = new Intl.Collator("id", { numeric: true, sensitivity: "base" });

function numberPattern(english) {
  const [group, decimal] = english ? [",", "\\."] : ["\\.", ","];
  // optional "Rp", sign, digits with thousands groups or plain, decimals, then a unit or a remark
  return new RegExp(
    `^(?:Rp\\.?\\s*)?([+\\-−]?)(\\d{1,3}(?:${group}\\d{3})+|\\d+)(?:${decimal}(\\d+))?` +
      `(?:\\s*(?:%|[A-Za-z²³/]{1,6}\\.?))?(?:\\s*\\(.*\\))?$`,
  );
}

function parseNumber(text, pattern) {
  const match = pattern.exec(text);
  if (!match) return null;
  const value = Number(`${match[2].replace(/\D/g, "")}.${match[3] || "0"}`);
  return match[1] === "-" || match[1] === "−" ? -value : value;
}

function parseDate(text) {
  const match = /^(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})$/.exec(text);
  if (!match) return null;
  const month = MONTHS[match[2].toLowerCase()];
  return month === undefined ? null : Date.UTC(Number(match[3]), month, Number(match[1]));
}

function cellText(row, column) {
  let position = 0;
  for (const cell of row.cells) {
    if (position === column) return (cell.dataset.sort ?? cell.textContent).trim().replace(/\s+/g, " ");
    position += cell.colSpan;
    if (position > column) return null; // spanned by a wider cell: not a sortable row
  }
  return null;
}

// One kind per column: numeric or date only if every filled cell reads as one.
function keysFor(rows, column, pattern) {
  const texts = rows.map((row) => cellText(row, column) ?? "");
  const filled = texts.filter((text) => !EMPTY.has(text));
  for (const parse of [(text) => parseNumber(text, pattern), parseDate]) {
    const values = filled.map(parse);
    if (filled.length && values.every((value) => value !== null)) {
      return texts.map((text) => (EMPTY.has(text) ? null : parse(text)));
    }
  }
  return texts.map((text) => (EMPTY.has(text) ? null : text));
}

function compare(a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

function sortBody(body, column, direction, pattern) {
  const rows = Array.from(body.rows);
  if (rows.some((row) => cellText(row, column) === null)) return; // an "empty" notice row
  const keys = keysFor(rows, column, pattern);
  const order = rows.map((row, index) => ({ row, index, key: keys[index] }));
  order.sort((x, y) => {
    if (x.key === null || y.key === null) {
      return x.key === y.key ? x.index - y.index : x.key === null ? 1 : -1; // empties last
    }
    return direction * compare(x.key, y.key) || x.index - y.index;
  });
  body.append(...order.map((item) => item.row));
}

function headerColumns(headRow) {
  const columns = [];
  let position = 0;
  for (const cell of headRow.cells) {
    columns.push({ cell, column: cell.colSpan === 1 ? position : null });
    position += cell.colSpan;
  }
  return columns;
}

function enhance(table) {
  if (table.dataset.nosort !== undefined || table.dataset.sortReady || !table.tHead) return;
  const head = table.tHead.rows;
  if (head.length !== 1 || !table.tBodies.length) return; // grouped headers: columns are ambiguous
  table.dataset.sortReady = "true";
  const english = (document.documentElement.lang || "id").startsWith("en");
  const pattern = numberPattern(english);
  for (const { cell, column } of headerColumns(head[0])) {
    if (column === null || cell.dataset.nosort !== undefined || !cell.textContent.trim()) continue;
    if (cell.querySelector("a, button, input, select")) continue; // a header that is already a control
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...cell.childNodes);
    cell.append(button);
    button.addEventListener("click", () => {
      const direction = cell.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      for (const other of head[0].cells) other.removeAttribute("aria-sort");
      cell.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
      for (const body of table.tBodies) sortBody(body, column, direction, pattern);
    });
  }
}

export function enhanceTables(root = document) {
  const tables = root.matches?.("table") ? [root] : root.querySelectorAll("table");
  for (const table of tables) enhance(table);
}

enhanceTables();
// Parts of pages that htmx swaps in (rows, panels) get the same treatment.
document.addEventListener("htmx:load", (event) => enhanceTables(event.detail.elt));
