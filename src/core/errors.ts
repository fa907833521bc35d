/**
 * One error type for the whole server. Services throw AppError with a stable code; the HTTP
 * error handler maps the code to a status and a localised message. Codes never change once
 * published: API clients match on them.
 */
export type Locale = 'vi' | 'en';

export const errorCatalog = {
  BAD_REQUEST: { status: 400, vi: 'Yêu cầu không hợp lệ.', en: 'The request is malformed.' },
  VALIDATION_FAILED: {
    status: 400,
    vi: 'Dữ liệu không hợp lệ.',
    en: 'Some fields are invalid.',
  },
  UNAUTHENTICATED: {
    status: 401,
    vi: 'Bạn cần đăng nhập.',
    en: 'You need to sign in.',
  },
  SESSION_EXPIRED: {
    status: 401,
    vi: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
    en: 'Your session has expired. Please sign in again.',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    vi: 'Email hoặc mật khẩu không đúng.',
    en: 'Wrong email or password.',
  },
  FORBIDDEN: {
    status: 403,
    vi: 'Bạn không có quyền thực hiện thao tác này.',
    en: 'You do not have permission to do this.',
  },
  CSRF_FAILED: {
    status: 403,
    vi: 'Thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang.',
    en: 'Missing or wrong anti-forgery (CSRF) token. Reload the page.',
  },
  NOT_FOUND: { status: 404, vi: 'Không tìm thấy.', en: 'Not found.' },
  CONFLICT: {
    status: 409,
    vi: 'Thao tác xung đột với dữ liệu hiện có.',
    en: 'This conflicts with existing data.',
  },
  VERSION_CONFLICT: {
    status: 409,
    vi: 'Bản ghi này vừa được người khác thay đổi. Giá trị hiện tại đã được tải lại: hãy xem lại rồi lưu.',
    en: 'Someone else changed this record in the meantime. Its current values are loaded: review them, then save again.',
  },
  LEAD_CONVERTED: {
    status: 409,
    vi: 'Khách hàng tiềm năng này đã được chuyển đổi: chỉ xem được, không sửa được nữa.',
    en: 'This lead has been converted: it can be viewed but no longer changed.',
  },
  RECORD_LOCKED: {
    status: 409,
    vi: 'Bản ghi này đang ở trạng thái không cho sửa.',
    en: 'This record cannot be changed in its current state.',
  },
  INVALID_STATUS: {
    status: 409,
    vi: 'Không thể làm việc này ở trạng thái hiện tại của bản ghi.',
    en: 'This cannot be done in the record’s current status.',
  },
  APPROVAL_REQUIRED: {
    status: 409,
    vi: 'Chiết khấu vượt mức cho phép: cần quản lý duyệt trước khi gửi.',
    en: 'The discount is above your limit: a manager must approve it before it is sent.',
  },
  DUPLICATE_FOUND: {
    status: 409,
    vi: 'Đã có bản ghi trùng thông tin. Hãy dùng bản ghi có sẵn hoặc xác nhận tạo bản ghi mới.',
    en: 'A matching record already exists. Use it, or confirm that a new one should be created.',
  },
  ALREADY_SET_UP: {
    status: 409,
    vi: 'Sen đã được cài đặt.',
    en: 'Sen is already set up.',
  },
  GONE: {
    status: 410,
    vi: 'Nội dung này không còn nữa.',
    en: 'This is no longer available.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    vi: 'Dữ liệu gửi lên quá lớn.',
    en: 'The request body is too large.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    vi: 'Địa chỉ hoặc phần đầu yêu cầu quá dài.',
    en: 'The request line or headers are too large.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    vi: 'Yêu cầu gửi quá chậm nên đã bị ngắt.',
    en: 'The request took too long to arrive.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    vi: 'Định dạng nội dung không được hỗ trợ.',
    en: 'Unsupported content type.',
  },
  ACCOUNT_LOCKED: {
    status: 429,
    vi: 'Tài khoản tạm khoá do đăng nhập sai nhiều lần. Hãy thử lại sau.',
    en: 'Too many failed sign-ins: the account is locked for a while. Try again later.',
  },
  RATE_LIMITED: {
    status: 429,
    vi: 'Quá nhiều yêu cầu. Hãy thử lại sau.',
    en: 'Too many requests. Try again later.',
  },
  // Stock (#20): an order asks for more than a warehouse has available; details.lines names
  // the products ({ productId, name, sku, requested, available }).
  INSUFFICIENT_STOCK: {
    status: 409,
    vi: 'Không đủ hàng trong kho.',
    en: 'Not enough stock.',
  },
  EINVOICE_NOT_CONFIGURED: {
    status: 409,
    vi: 'Chưa cài đặt nhà cung cấp hóa đơn điện tử (Cài đặt → Hóa đơn điện tử).',
    en: 'No e-invoice provider is set up (Settings → E-invoices).',
  },
  EINVOICE_IN_PROGRESS: {
    status: 409,
    vi: 'Hóa đơn điện tử của hóa đơn này đang được gửi đi. Hãy chờ một lát rồi xem lại.',
    en: 'The e-invoice of this invoice is being submitted. Wait a moment, then look again.',
  },
  EINVOICE_REJECTED: {
    status: 422,
    vi: 'Nhà cung cấp hóa đơn điện tử từ chối yêu cầu.',
    en: 'The e-invoice provider refused the request.',
  },
  EINVOICE_DESTINATION_BLOCKED: {
    status: 422,
    vi: 'Địa chỉ của nhà cung cấp hóa đơn điện tử là địa chỉ mạng nội bộ nên Sen không gửi tới.',
    en: 'The e-invoice provider’s address is a private network address, so Sen does not call it.',
  },
  EINVOICE_AUTH_FAILED: {
    status: 502,
    vi: 'Nhà cung cấp hóa đơn điện tử từ chối tên đăng nhập hoặc mật khẩu.',
    en: 'The e-invoice provider refused the user name or password.',
  },
  EINVOICE_UNAVAILABLE: {
    status: 502,
    vi: 'Nhà cung cấp hóa đơn điện tử đang gặp sự cố. Hãy thử lại sau.',
    en: 'The e-invoice provider is having problems. Try again later.',
  },
  EINVOICE_TIMEOUT: {
    status: 504,
    vi: 'Nhà cung cấp hóa đơn điện tử không trả lời kịp.',
    en: 'The e-invoice provider did not answer in time.',
  },
  INTERNAL: {
    status: 500,
    vi: 'Đã xảy ra lỗi hệ thống.',
    en: 'Something went wrong on our side.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    vi: 'Hệ thống tạm thời không sẵn sàng.',
    en: 'The service is temporarily unavailable.',
  },
} as const satisfies Record<string, { status: number; vi: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/**
 * One problem with one field. The response carries `{ path, message, text: { vi, en }, reason?,
 * in? }`: `message` in the request's language, `text` in both (docs/customer-records.md).
 */
export interface FieldError {
  /** Dotted path inside its part of the request (`phones.0.value`, `custom.hang`). */
  path: string;
  /** English message; `text` (if present) gives both languages for the response. */
  message: string;
  text?: LocalisedText;
  /** A stable machine-readable reason (`invalid_check_digit`, zod's `too_big`…). */
  reason?: string;
  /** The part of the request it is in (`body`, `querystring`, `params`), when known. */
  in?: string;
}

/** A message in both languages, for errors that say more than their code's default. */
export interface LocalisedText {
  vi: string;
  en: string;
}

export interface ErrorDetails {
  fields?: FieldError[];
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | null;
  readonly text: LocalisedText | undefined;

  constructor(code: ErrorCode, opts: { text?: LocalisedText; details?: ErrorDetails } = {}) {
    super(opts.text?.en ?? errorCatalog[code].en);
    this.name = 'AppError';
    this.code = code;
    this.details = opts.details ?? null;
    this.text = opts.text;
  }

  get status(): number {
    return errorCatalog[this.code].status;
  }

  messageIn(locale: Locale): string {
    return this.text?.[locale] ?? errorCatalog[this.code][locale];
  }
}

export function fieldError(path: string, text: LocalisedText): AppError {
  return new AppError('VALIDATION_FAILED', {
    details: { fields: [{ path, message: text.en, text }] },
  });
}
