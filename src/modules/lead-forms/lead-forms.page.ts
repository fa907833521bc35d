import type { Locale } from '../../core/errors.js';
import {
  HONEYPOT,
  LANGUAGE_FIELD,
  trackingFields,
  type Answer,
  type FormableField,
  type TrackingKey,
} from './lead-forms.fields.js';
import type { FormFieldConfig, LeadFormRow } from './lead-forms.table.js';

/**
 * The hosted form page (GET /f/:key) and its answers, server-rendered: small HTML with inline
 * CSS, no script and no external asset, in the workspace's language with a switch to the other,
 * readable on a phone. Also the embed snippet shown in Settings. Everything written into the
 * HTML goes through `esc`.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const texts = {
  required: { vi: 'bắt buộc', en: 'required' },
  choose: { vi: '— Chọn —', en: '— Choose —' },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
  fixErrors: {
    vi: 'Vui lòng kiểm tra lại các thông tin được đánh dấu.',
    en: 'Please check the highlighted fields.',
  },
  notFoundTitle: { vi: 'Không tìm thấy biểu mẫu', en: 'Form not found' },
  notFound: {
    vi: 'Biểu mẫu này không tồn tại hoặc đã ngừng nhận thông tin.',
    en: 'This form does not exist or no longer accepts submissions.',
  },
  tooManyTitle: { vi: 'Gửi quá nhiều lần', en: 'Too many submissions' },
  errorTitle: { vi: 'Chưa gửi được', en: 'Not sent' },
  back: {
    vi: 'Quay lại trang trước để sửa và gửi lại.',
    en: 'Go back to the previous page to correct and send again.',
  },
  poweredBy: { vi: 'Biểu mẫu của', en: 'A form of' },
} as const;

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f5f6f8;color:#1f2430;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
main{max-width:560px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border:1px solid #e3e6ea;border-radius:12px;padding:24px}
h1{font-size:1.4rem;margin:0 0 16px}
.lang{text-align:right;font-size:.9rem;margin-bottom:8px}
.lang a{color:#1c7ed6;margin-left:8px}
.lang strong{margin-left:8px}
label{display:block;font-weight:600;margin-bottom:4px}
.f{margin-bottom:16px}
.req{color:#c92a2a}
input[type=text],input[type=email],input[type=tel],input[type=number],input[type=date],input[type=url],select,textarea{width:100%;padding:10px 12px;font:inherit;border:1px solid #ced4da;border-radius:8px;background:#fff}
textarea{min-height:110px}
.check{font-weight:400;display:flex;gap:8px;align-items:center}
.err{color:#c92a2a;font-size:.9rem;margin-top:4px}
.bad input,.bad select,.bad textarea{border-color:#c92a2a}
.alert{background:#fff5f5;border:1px solid #ffc9c9;border-radius:8px;padding:10px 12px;margin-bottom:16px}
button{width:100%;padding:12px;font:inherit;font-weight:600;color:#fff;background:#1c7ed6;border:0;border-radius:8px;cursor:pointer}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
.foot{color:#868e96;font-size:.8rem;text-align:center;margin-top:12px}
`;

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export interface PageState {
  locale: Locale;
  /** The form's URL (the language links keep its query: the UTM parameters). */
  query: URLSearchParams;
  tracking: Partial<Record<TrackingKey, string>>;
  answers?: Map<string, Answer>;
  errors?: Map<string, string>;
}

function languageSwitch(path: string, state: PageState): string {
  const link = (l: Locale, name: string) => {
    if (l === state.locale) return `<strong>${name}</strong>`;
    const q = new URLSearchParams(state.query);
    q.set('lang', l);
    return `<a href="${esc(`${path}?${q.toString()}`)}" hreflang="${l}" lang="${l}">${name}</a>`;
  };
  return `<div class="lang">${esc(texts.language[state.locale])}:${link('vi', 'Tiếng Việt')}${link('en', 'English')}</div>`;
}

function inputOf(
  field: FormableField,
  config: FormFieldConfig,
  locale: Locale,
  answer: Answer | undefined,
  id: string,
): string {
  const name = esc(field.key);
  const required = config.required ? ' required' : '';
  const one = Array.isArray(answer) ? (answer[0] ?? '') : (answer ?? '');
  const values = new Set(Array.isArray(answer) ? answer : answer ? [answer] : []);
  switch (field.input) {
    case 'textarea':
      return `<textarea id="${id}" name="${name}" maxlength="${field.maxLength}"${required}>${esc(one)}</textarea>`;
    case 'select':
      return `<select id="${id}" name="${name}"${required}><option value="">${esc(texts.choose[locale])}</option>${(
        field.options ?? []
      )
        .map(
          (o) =>
            `<option value="${esc(o.key)}"${values.has(o.key) ? ' selected' : ''}>${esc(o.label[locale])}</option>`,
        )
        .join('')}</select>`;
    case 'multiselect':
      return (field.options ?? [])
        .map(
          (o, i) =>
            `<label class="check"><input type="checkbox" id="${id}-${i}" name="${name}" value="${esc(o.key)}"${values.has(o.key) ? ' checked' : ''}> ${esc(o.label[locale])}</label>`,
        )
        .join('');
    case 'checkbox':
      return `<label class="check"><input type="checkbox" id="${id}" name="${name}" value="on"${one ? ' checked' : ''}${required}> ${esc(config.label[locale])}</label>`;
    default: {
      const type = field.input === 'text' ? 'text' : field.input;
      const auto =
        field.key === 'email'
          ? ' autocomplete="email"'
          : field.key === 'phone'
            ? ' autocomplete="tel"'
            : field.key === 'fullName'
              ? ' autocomplete="name"'
              : field.key === 'companyName'
                ? ' autocomplete="organization"'
                : '';
      return `<input type="${type}" id="${id}" name="${name}" value="${esc(one)}" maxlength="${field.maxLength}"${auto}${required}>`;
    }
  }
}

/** The questions, the honeypot and the tracking fields (the page's and the snippet's). */
function formBody(
  form: LeadFormRow,
  catalogue: Map<string, FormableField>,
  locale: Locale,
  state: Pick<PageState, 'answers' | 'errors' | 'tracking'>,
): string {
  const parts: string[] = [];
  form.fields.forEach((config, i) => {
    const field = catalogue.get(config.key);
    if (!field) return;
    const id = `f${i}`;
    const error = state.errors?.get(config.key);
    const label =
      field.input === 'checkbox'
        ? ''
        : `<label for="${id}">${esc(config.label[locale])}${
            config.required
              ? ` <span class="req" title="${esc(texts.required[locale])}">*</span>`
              : ''
          }</label>`;
    parts.push(
      `<div class="f${error ? ' bad' : ''}">${label}${inputOf(field, config, locale, state.answers?.get(config.key), id)}${
        error ? `<div class="err">${esc(error)}</div>` : ''
      }</div>`,
    );
  });
  parts.push(
    `<div class="hp" aria-hidden="true"><label>Website<input type="text" name="${HONEYPOT}" tabindex="-1" autocomplete="off"></label></div>`,
  );
  for (const key of Object.keys(trackingFields) as TrackingKey[]) {
    parts.push(`<input type="hidden" name="${key}" value="${esc(state.tracking[key] ?? '')}">`);
  }
  return parts.join('\n');
}

export function renderFormPage(
  form: LeadFormRow,
  catalogue: Map<string, FormableField>,
  state: PageState,
): string {
  const path = `/f/${encodeURIComponent(form.publicKey)}`;
  const l = state.locale;
  const alert =
    state.errors && state.errors.size > 0
      ? `<div class="alert" role="alert">${esc(texts.fixErrors[l])}</div>`
      : '';
  const body = `${languageSwitch(path, state)}
<div class="card">
<h1>${esc(form.name)}</h1>
${alert}
<form method="post" action="${esc(path)}" accept-charset="UTF-8">
<input type="hidden" name="${LANGUAGE_FIELD}" value="${l}">
${formBody(form, catalogue, l, state)}
<button type="submit">${esc(form.submitLabel[l])}</button>
</form>
</div>`;
  return page(l, form.name, body);
}

/** The thank-you text, its paragraphs kept. */
export function renderThankYou(form: LeadFormRow, locale: Locale): string {
  const text = form.thankYou[locale]
    .split(/\n{2,}/)
    .map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
  return page(locale, form.name, `<div class="card"><h1>${esc(form.name)}</h1>${text}</div>`);
}

/** A page for what stopped a submission (unknown form, too many, bad answers). */
export function renderProblem(
  locale: Locale,
  kind: 'not_found' | 'rate_limited' | 'invalid',
  message: string,
  details: string[] = [],
): string {
  const title =
    kind === 'not_found'
      ? texts.notFoundTitle[locale]
      : kind === 'rate_limited'
        ? texts.tooManyTitle[locale]
        : texts.errorTitle[locale];
  const text = kind === 'not_found' ? texts.notFound[locale] : message;
  const list =
    details.length > 0 ? `<ul>${details.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>` : '';
  // No script on the page (its CSP allows none): the browser's back button returns to the form.
  const back = kind === 'invalid' ? `<p>${esc(texts.back[locale])} ←</p>` : '';
  return page(
    locale,
    title,
    `<div class="card"><h1>${esc(title)}</h1><p>${esc(text)}</p>${list}${back}</div>`,
  );
}

/**
 * The embed snippet: a plain <form> posting (urlencoded) to the public endpoint, and a few lines
 * of inline script that copy the page's UTM parameters, its address and document.referrer into
 * the hidden fields. Without the script the form still works, without the tracking.
 */
export function snippetOf(
  form: LeadFormRow,
  catalogue: Map<string, FormableField>,
  origin: string,
  locale: Locale,
): string {
  const action = `${origin}/api/v1/public/forms/${encodeURIComponent(form.publicKey)}/submissions`;
  const id = `sen-form-${form.publicKey.slice(0, 8)}`;
  return `<form id="${esc(id)}" action="${esc(action)}" method="post" accept-charset="UTF-8">
<input type="hidden" name="${LANGUAGE_FIELD}" value="${locale}">
${formBody(form, catalogue, locale, { tracking: {} })}
<button type="submit">${esc(form.submitLabel[locale])}</button>
</form>
<style>#${id} .hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}#${id} .f{margin-bottom:12px}#${id} label{display:block}</style>
<script>
(function () {
  var f = document.getElementById(${JSON.stringify(id)}), q = new URLSearchParams(location.search);
  ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'].forEach(function (k) {
    if (q.get(k)) f.elements[k].value = q.get(k);
  });
  f.elements.referrer.value = document.referrer;
  f.elements.landing_page.value = location.href;
})();
</script>`;
}
