import type { Attachment } from 'svelte/attachments';

let named = 0;

/**
 * For a box that scrolls sideways (a `.table-wrap`, a code sample): while its content is wider than it (a phone, a
 * long table) keyboard users need to reach it to scroll it, so it becomes a focusable region, named by the element
 * `labelledBy` names or else by its table's caption. While the content fits it stays out of the tab order.
 * https://dequeuniversity.com/rules/axe/4.10/scrollable-region-focusable
 */
export function scrollRegion(labelledBy?: string): Attachment<HTMLElement> {
  return (node) => {
    const update = () => {
      if (node.scrollWidth > node.clientWidth) {
        const caption = labelledBy ? null : node.querySelector('caption');
        if (caption && !caption.id) caption.id = `scroll-region-${++named}`;
        const label = labelledBy ?? caption?.id;
        node.tabIndex = 0;
        node.setAttribute('role', 'region');
        if (label) node.setAttribute('aria-labelledby', label);
      } else {
        node.removeAttribute('tabindex');
        node.removeAttribute('role');
        node.removeAttribute('aria-labelledby');
      }
    };
    const observer = new ResizeObserver(update);
    observer.observe(node);
    for (const child of node.children) observer.observe(child);
    return () => observer.disconnect();
  };
}
