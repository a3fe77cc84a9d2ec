// The many-to-many chooser of network/widgets.py: «Elegir» opens Wagtail's chooser modal
// (several rows at once); each chosen row is a hidden input with a «Quitar» button.
(function () {
  'use strict';

  function init(root) {
    if (root.dataset.multipleChooserReady) return;
    root.dataset.multipleChooserReady = '1';
    const list = root.querySelector('[data-chosen-list]');
    const empty = root.querySelector('[data-chosen-empty]');
    const definition = root.querySelector('script[type="application/json"]');
    const factory = window.telepath.unpack(JSON.parse(definition.textContent));
    const refresh = () => { empty.hidden = list.children.length > 0; };

    const add = (item) => {
      const id = String(item.id);
      const taken = Array.from(list.querySelectorAll('input')).some((input) => input.value === id);
      if (taken) return;
      const title = item.string || item.title || item.display_title || id;
      const li = document.createElement('li');
      li.className = 'multiple-chooser__item';
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = root.dataset.name;
      input.value = id;
      const span = document.createElement('span');
      span.className = 'multiple-chooser__title';
      span.textContent = title;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button button-small button-secondary';
      remove.dataset.remove = '';
      remove.textContent = root.dataset.removeLabel;
      remove.setAttribute('aria-label', `${root.dataset.removeLabel} «${title}»`);
      li.append(input, span, remove);
      list.append(li);
      input.dispatchEvent(new Event('change', { bubbles: true }));
    };

    list.addEventListener('click', (event) => {
      const button = event.target.closest('[data-remove]');
      if (!button) return;
      button.closest('li').remove();
      refresh();
      root.dispatchEvent(new Event('change', { bubbles: true }));
    });
    root.querySelector('[data-choose]').addEventListener('click', () => {
      factory.openModal((items) => {
        (Array.isArray(items) ? items : [items]).forEach(add);
        refresh();
      }, { multiple: true });
    });
  }

  const start = () => document.querySelectorAll('[data-multiple-chooser]').forEach(init);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
