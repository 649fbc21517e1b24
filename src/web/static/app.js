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

// A picture in the reply box: the text becomes its optional caption; one too big is refused before it is sent.
(() => {
  const input = document.querySelector('.reply input[type=file]');
  const box = document.getElementById('reply-text');
  if (!input || !box) return;
  const chosen = input.form.querySelector('.chosen');
  input.addEventListener('change', () => {
    const file = input.files[0];
    const tooBig = file !== undefined && file.size > Number(input.dataset.maxBytes);
    input.setCustomValidity(tooBig ? input.dataset.tooBig : '');
    chosen.textContent = tooBig ? input.dataset.tooBig : file ? file.name : '';
    box.required = !file;
  });
})();

// Alerts: a new escalation, or one transferred to you, plays a short beep and flashes the tab's title until the
// tab is focused. Browsers let a page make sound only after the user touched it: until then the title alone alerts.
const alerts = (() => {
  let audio;
  let focused = document.hasFocus();
  let title = document.title;
  let message = null;
  let flashing;
  const unlock = () => {
    try {
      audio ??= new AudioContext();
      if (audio.state === 'suspended') audio.resume().catch(() => undefined);
    } catch {
      // No WebAudio here: the title still alerts.
    }
  };
  for (const type of ['pointerdown', 'keydown']) addEventListener(type, unlock, { capture: true });

  const beep = () => {
    if (audio?.state !== 'running') return;
    const at = audio.currentTime;
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.2, at);
    volume.gain.exponentialRampToValueAtTime(0.001, at + 0.4);
    tone.connect(volume).connect(audio.destination);
    tone.start(at);
    tone.stop(at + 0.4);
  };
  // "(2) Pelanggan menunggu — Kotak Masuk": the unread count of the normal title, the alert, the page.
  const show = (on) => {
    const unread = /^\(\d+\) /.exec(title)?.[0] ?? '';
    document.title = on && message ? `${unread}${message} — ${document.body.dataset.title}` : title;
  };
  const stop = () => {
    clearInterval(flashing);
    flashing = undefined;
    message = null;
    show(false);
  };
  addEventListener('focus', () => {
    focused = true;
    stop();
  });
  addEventListener('blur', () => {
    focused = false;
  });

  return {
    /** The page's own title, as the live update brings it. */
    setTitle(next) {
      title = next;
      if (!flashing) show(false);
    },
    alert(event) {
      beep();
      if (focused) return;
      message = event.title;
      let on = true;
      show(on);
      clearInterval(flashing);
      flashing = setInterval(() => show((on = !on)), 1000);
    },
  };
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
      if (title) alerts.setTitle(decodeURIComponent(title));
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
  events.addEventListener('alert', (event) => alerts.alert(JSON.parse(event.data)));
  // After a dropped connection, changes may have been missed while away.
  events.addEventListener('open', () => {
    if (opened) refresh();
    opened = true;
  });
  // A linking QR changes every few seconds and announces nothing.
  if (live.querySelector('.qr')) setInterval(refresh, 15000);
  scrollToNewest();
})();
