// The Django admin's doctor filter: choosing a doctor in the search box applies it.
"use strict";
window.addEventListener("load", function () {
  if (!window.django || !window.django.jQuery) {
    return;
  }
  window.django.jQuery("select[data-submit-on-change]").on("change", function () {
    this.form.submit();
  });
});
