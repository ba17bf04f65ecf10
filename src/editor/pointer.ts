/**
 * The page's main pointer is a finger (`(pointer: coarse)`), read once: touch screens get
 * 44 px targets (styles.css, groups.css), and what is drawn around them adjusts to match.
 */
export const COARSE_POINTER =
  typeof window !== 'undefined' && window.matchMedia('(pointer: coarse)').matches;
