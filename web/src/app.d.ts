import type { Viewer } from '$lib/viewer';
import type { Locale } from '$lib/i18n';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Locals {
      viewer: Viewer | null;
      locale: Locale;
      /** The double-submit token of the HttpOnly `csrf` cookie, for the login and logout forms. */
      csrfToken: string | null;
    }
    interface Platform {
      /** adapter-node passes the Node request; the API server has already resolved the session onto it. */
      req?: { viewer?: Viewer | null; csrfToken?: string };
    }
    interface PageData {
      viewer: Viewer | null;
      locale: Locale;
      csrfToken: string | null;
    }
  }
}

export {};
