/** Strings of the hardening work (issue 12): sign-in refusals, request size. */
export const deployVi = {
  'auth.login.suspended': 'Nhà sản xuất này đang bị Văn phòng OCOP tạm đình chỉ: các tài khoản của nhà sản xuất không thể đăng nhập. Vui lòng liên hệ Văn phòng OCOP.',
  'auth.login.disabled': 'Tài khoản này đã bị khoá. Vui lòng liên hệ Văn phòng OCOP.',
  'http.tooLarge.title': 'Dữ liệu gửi lên quá lớn',
  'http.tooLarge.body': 'Yêu cầu vượt quá {mb} MB. Hãy gửi ít dữ liệu hơn (ví dụ ảnh nhỏ hơn) rồi thử lại.',
} as const satisfies Record<string, string>;
