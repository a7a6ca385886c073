/** Storefront strings (issue 16): header/footer links, home merchandising, producers and provinces, checkout. */
export const storefrontVi = {
  'storefront.price.approxNote': 'quy đổi gần đúng, thanh toán bằng đồng',
} as const satisfies Record<string, string>;
