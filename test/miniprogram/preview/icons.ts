/**
 * TDesign's icons are a web font served from its CDN; a preview must not depend on the
 * network, so the icons the pages use are drawn here as small SVGs (24×24, currentColor).
 */
const ring = '<circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" stroke-width="1.8"/>';
const disc = '<circle cx="12" cy="12" r="11" fill="currentColor"/>';
const W = 'stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" fill="none"';
const S = 'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" fill="none"';

const ICONS: Record<string, string> = {
  add: `<path d="M12 5v14M5 12h14" ${S}/>`,
  remove: `<path d="M5 12h14" ${S}/>`,
  'chevron-right': `<path d="M9 5l7 7-7 7" ${S}/>`,
  'check-circle-filled': `${disc}<path d="M7 12.5l3.2 3.2L17 9" ${W}/>`,
  'close-circle-filled': `${disc}<path d="M8.5 8.5l7 7M15.5 8.5l-7 7" ${W}/>`,
  'close-circle': `${ring}<path d="M8.5 8.5l7 7M15.5 8.5l-7 7" ${S}/>`,
  'info-circle-filled': `${disc}<path d="M12 11v6" ${W}/><circle cx="12" cy="7.5" r="1.3" fill="#fff"/>`,
  'error-circle-filled': `${disc}<path d="M12 6.5v7" ${W}/><circle cx="12" cy="17" r="1.3" fill="#fff"/>`,
  'error-circle': `${ring}<path d="M12 6.5v7" ${S}/><circle cx="12" cy="17" r="1.3" fill="currentColor"/>`,
  'time-filled': `${disc}<path d="M12 6.5V12l3.5 2.5" ${W}/>`,
  rollback: `<path d="M9 5L4 10l5 5" ${S}/><path d="M4 10h10a6 6 0 010 12h-3" ${S} transform="translate(0 -3)"/>`,
  wallet: `<rect x="3" y="6" width="18" height="13" rx="2" ${S}/><path d="M3 10h18" ${S}/><circle cx="16.5" cy="14.5" r="1.3" fill="currentColor"/>`,
  shop: `<path d="M4 9l1.5-5h13L20 9M4 9v11h16V9M4 9h16" ${S}/><path d="M10 20v-6h4v6" ${S}/>`,
  close: `<path d="M6 6l12 12M18 6L6 18" ${S}/>`,
  search: `<circle cx="11" cy="11" r="6.5" ${S}/><path d="M16 16l4.5 4.5" ${S}/>`,
  file: `<path d="M6 3h8l5 5v13H6z" ${S}/><path d="M14 3v5h5M9 13h7M9 17h5" ${S}/>`,
};

export function iconSvg(name: string): string {
  const body = ICONS[name] ?? ring;
  return `<svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true">${body}</svg>`;
}
