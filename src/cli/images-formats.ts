/** The formats of `kubeharden images`; apart from the command so the CLI can offer them without loading it. */
export const IMAGES_FORMATS = ['table', 'json', 'markdown'] as const;
export type ImagesFormat = (typeof IMAGES_FORMATS)[number];
