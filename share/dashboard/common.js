// Shared by the dashboard's two pages: CMake puts it into each, so that
// each page is still one self-contained file (no CDN, no other request).

// Every text goes in with textContent, never innerHTML: a VM's or a
// student's name may contain markup, and it must show as text.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// "1 VM", "2 VMs": a count and its noun, singular for one.
function count(n, noun) {
  return n + " " + noun + (n === 1 ? "" : "s");
}

// Follows the server-sent events `event` of `path` (the page's token goes
// with the request), calls onData with each one's JSON, and says in #status
// whether the stream is live.
function follow(path, event, onData) {
  const status = document.getElementById("status");
  const events = new EventSource(path + location.search);
  events.onopen = () => { status.textContent = "live"; status.className = ""; };
  events.onerror = () => { status.textContent = "connection lost, retrying…"; status.className = "down"; };
  events.addEventListener(event, (e) => {
    onData(JSON.parse(e.data));
    document.body.dataset.updated = String(Date.now());
  });
}
