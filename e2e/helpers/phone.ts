/** The phone the e2e tests emulate: 390 × 844 CSS px at 2×, touch (`test.use({ ...PHONE })`). */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const;
