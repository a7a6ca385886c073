/** GS1 resolver and EPCIS interface strings (engineer gs1). */
export const gs1Vi = {
  'trace.dl.error.query_ai': 'Một mã định danh ứng dụng GS1 (AI) trong chuỗi truy vấn có giá trị sai định dạng.',
  'trace.dl.error.compressed': 'Liên kết GS1 Digital Link nén không giải nén được.',
  'trace.dl.notFound.linkType': 'Sản phẩm này không có liên kết thuộc loại được yêu cầu. Danh sách liên kết có sẵn được ghi trong tiêu đề Link.',
  'trace.dl.choices': 'Có nhiều liên kết phù hợp',
  'trace.dl.choices.help': 'Hãy chọn một trong các liên kết sau:',
} as const satisfies Record<string, string>;
