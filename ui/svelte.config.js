/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  // Every component uses Svelte 5 runes ($state, $derived, $effect).
  compilerOptions: { runes: true },
};
