import type { storefrontVi } from './messages.storefront.vi.ts';

export const storefrontEn: Record<keyof typeof storefrontVi, string> = {
  'storefront.price.approxNote': 'approximate; you pay in Vietnamese đồng',
};
