/* gongkai notice period status: pages say 待公示 / 公示中 / 已结束 as of the day they were built;
   this corrects the words when the page is read on a later day. Elements with data-first (first
   day) and data-last (last day), YYYY-MM-DD in China time, hold a .status-label to correct. */
(function () {
  'use strict';

  var LABELS = { upcoming: '待公示', open: '公示中', closed: '已结束' };

  /* Today in China time (UTC+8) as YYYY-MM-DD, for a time in milliseconds. */
  function chinaDate(millis) {
    return new Date(millis + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  /* As `notice_status` in src/render/views.rs; null when the period is not fully known. */
  function noticeStatus(first, last, today) {
    if (!first) return null;
    if (today < first) return 'upcoming';
    if (!last) return null;
    return today <= last ? 'open' : 'closed';
  }

  /* Corrects every status below `root` for `today`; returns how many changed. */
  function correct(root, today) {
    var changed = 0;
    var elements = root.querySelectorAll('[data-first]');
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var status = noticeStatus(element.getAttribute('data-first'), element.getAttribute('data-last'), today);
      var label = element.querySelector('.status-label');
      if (!status || !label || label.textContent === LABELS[status]) continue;
      label.textContent = LABELS[status];
      element.className = element.className.replace(/\bstatus-\w+/, 'status-' + status);
      changed++;
    }
    return changed;
  }

  var api = { LABELS: LABELS, chinaDate: chinaDate, noticeStatus: noticeStatus, correct: correct };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document !== 'undefined') correct(document, chinaDate(Date.now()));
})();
