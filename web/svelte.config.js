import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    // The API server imports build/handler.js and mounts it behind /graphql and /auth.
    adapter: adapter({ out: 'build' }),
  },
};

export default config;
