// Stylesheets are bundled as minified text (see build.mjs).
declare module "*.css" {
  const css: string;
  export default css;
}
