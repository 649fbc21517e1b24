// Live updates for the Setia inbox. The server announces every change (Server-Sent Events); the page then fetches
// its own live region again, rendered and escaped by the server, and the unread count in the title with it.
// Quick replies: typing "/" and a name in the reply box offers the saved answers whose name starts so; picking one
// puts "/name" in the box, and the server fills the answer for the customer when it is sent.
(() => {
  const box = document.getElementById('reply-text');
  const list = document.getElementById('quick-replies');
  if (!box || !list) return;
  const items = [...list.querySelectorAll('button[data-quick]')];
  const offer = () => {
    const typed = box.value.trim();
    let shown = 0;
    for (const item of items) {
      const match = typed.startsWith('/') && item.dataset.quick.startsWith(typed);
      item.parentElement.hidden = !match;
      if (match) shown++;
    }
    list.hidden = shown === 0;
  };
  for (const item of items) {
    item.addEventListener('click', () => {
      box.value = item.dataset.quick;
      list.hidden = true;
      box.focus();
    });
  }
  box.addEventListener('input', offer);
  offer();
})();

(() => {
  const live = document.getElementById('live');
  if (!live) return;
  let running = false;
  let again = false;

  const scrollToNewest = () => {
    const transcript = live.querySelector('.transcript');
    if (transcript) transcript.lastElementChild?.scrollIntoView({ block: 'end' });
  };

  async function refresh() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const response = await fetch(location.pathname + location.search, { headers: { 'x-setia-live': '1' }, credentials: 'same-origin' });
      // Logged out or expired: show the login page.
      if (response.redirected || response.status === 401) return location.reload();
      if (!response.ok) return;
      live.innerHTML = await response.text();
      const title = response.headers.get('x-setia-title');
      if (title) document.title = decodeURIComponent(title);
      scrollToNewest();
    } catch {
      // Offline for a moment: the next change or reconnect refreshes again.
    } finally {
      running = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  const events = new EventSource('/api/events');
  let opened = false;
  events.addEventListener('change', refresh);
  // After a dropped connection, changes may have been missed while away.
  events.addEventListener('open', () => {
    if (opened) refresh();
    opened = true;
  });
  // A linking QR changes every few seconds and announces nothing.
  if (live.querySelector('.qr')) setInterval(refresh, 15000);
  scrollToNewest();
})();
