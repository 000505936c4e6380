// 长者模式 (elder-friendly mode). The switch is the checkbox #elder, which the stylesheet reads with
// no script; this file only makes the choice stick across pages, in localStorage. Once it knows the
// choice can be kept it marks the checkbox "kept", which hides the note that says it cannot.
(function () {
  var KEY = 'gongkai-elder';
  var box = document.getElementById('elder');
  if (!box) return;
  function stored() {
    try { return localStorage.getItem(KEY) === '1'; } catch (e) { return null; }
  }
  function store(on) {
    try {
      if (on) localStorage.setItem(KEY, '1');
      else localStorage.removeItem(KEY);
      return true;
    } catch (e) { return false; } // storage turned off: the note stays, the mode holds for this page
  }
  function apply() {
    var on = stored();
    if (on === null) return;
    box.checked = on;
    box.classList.add('kept');
  }
  apply();
  box.addEventListener('change', function () {
    box.classList.toggle('kept', store(box.checked));
  });
  // Back and forward may show a page from memory as it was: take the latest choice.
  window.addEventListener('pageshow', function (event) { if (event.persisted) apply(); });
})();
