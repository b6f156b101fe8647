import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    // The API server imports build/handler.js and mounts it behind /graphql and /auth.
    adapter: adapter({ out: 'build' }),
    // SvelteKit adds a nonce (or, for prerendered pages, a hash) for its own hydration script.
    // No <style> elements anywhere, so style-src stays 'self'. Inline style *attributes* are allowed
    // (style-src-attr) only because SvelteKit's route announcer (#svelte-announcer) hides itself with one;
    // blocked, it would show the page title after every navigation. An attribute cannot hold selectors, so
    // this does not open the CSS-injection tricks that 'unsafe-inline' in style-src would.
    // The playground's graphql-ws socket is same-origin, but `ws:`/`wss:` are listed because older engines
    // do not let 'self' match a WebSocket URL. https://svelte.dev/docs/kit/configuration#csp
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        'style-src-attr': ['unsafe-inline'],
        'img-src': ['self', 'data:'],
        'connect-src': ['self'],
        'font-src': ['self'],
        'object-src': ['none'],
        'frame-ancestors': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
      },
    },
  },
};

export default config;
