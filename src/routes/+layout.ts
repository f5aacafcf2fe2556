// A static single-page app: every page is a prerendered shell, rendered in the browser from
// the data on the device.
export const ssr = false;
export const prerender = true;
export const trailingSlash = 'never';
