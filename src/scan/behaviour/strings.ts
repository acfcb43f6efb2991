/** Classifiers over string values the AST yields (literals, folded concatenations, decoded constants). */

const EXFIL_HOST =
  /(?:webhook\.site|discord(?:app)?\.com\/api\/webhooks|api\.telegram\.org\/bot|pastebin\.com|hastebin\.|paste\.ee|ghostbin|transfer\.sh|ngrok\.io|ngrok-free\.app|\.m\.pipedream\.net|requestbin|burpcollaborator\.net|\.oast\.(?:fun|me|pro|live|site|online)|interact\.sh|canarytokens\.|beeceptor\.com|hookb\.in)/i;
const RAW_IP_URL = /\b(?:https?|wss?|tcp|ftp):\/\/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/i;

/** A URL to a known exfiltration service, or to a public raw IP address. */
export function exfilEndpoint(value: string): string | undefined {
  // A bare host name is data (public-suffix lists name ngrok); a URL or path to it is a destination.
  const host = value.includes('/') ? EXFIL_HOST.exec(value) : null;
  if (host) return host[0];
  const ip = RAW_IP_URL.exec(value);
  if (!ip) return undefined;
  const [a, b] = [Number(ip[1]), Number(ip[2])];
  const privateRange =
    a === 10 || a === 127 || a === 0 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
  return privateRange || a === 169 || a > 255 ? undefined : ip[0];
}

const CREDENTIAL_PATH =
  /(?:\.npmrc\b|\.ssh\/|\bid_rsa\b|\bid_ed25519\b|\.aws\/credentials|\.docker\/config\.json|\.kube\/config|\.git-credentials|\.config\/gh\/hosts|\.netrc\b|wallet\.dat|\.ethereum\/keystore|\.config\/solana|Exodus\/exodus\.wallet|Electrum\/wallets|Login Data|Local Storage\/leveldb|nkbihfbeogaeaoehlefnkodbefgpgknn|Mozilla\/Firefox\/Profiles|Google\/Chrome\/User Data|169\.254\.169\.254|metadata\.google\.internal)/i;

/** A path or URL of a credential store. */
export function credentialPath(value: string): string | undefined {
  return CREDENTIAL_PATH.exec(value)?.[0];
}

const DOWNLOAD = /\b(?:curl|wget|Invoke-WebRequest|iwr|bitsadmin|certutil\s+-urlcache)\b/i;
const RUN_AFTER =
  /(?:\|\s*(?:ba|z|da)?sh\b|\|\s*(?:iex|Invoke-Expression)\b|chmod\s+\+?[0-7]*x|&&\s*\.\/|;\s*\.\/|\bregsvr32\b|\brundll32\b|\bStart-Process\b|-o\s+\S+\s*(?:&&|;)\s*(?:sh|bash|node|\.\/))/i;

/** A shell command line that downloads something and runs it. */
export function downloadAndRun(value: string): boolean {
  return DOWNLOAD.test(value) && RUN_AFTER.test(value);
}

/** A shell command that publishes to npm. */
export const npmPublish = (value: string): boolean => /\bnpm\s+publish\b/.test(value);

const AI_CLI_UNSAFE =
  /--dangerously-skip-permissions|--yolo\b|--trust-all-tools|--dangerously-bypass-approvals/;
export const aiCliUnsafe = (value: string): string | undefined => AI_CLI_UNSAFE.exec(value)?.[0];

const SHELL_PROFILE = /(?:^|[/\\~])\.(?:bashrc|zshrc|bash_profile|zprofile|profile)\b/;
export const shellProfile = (value: string): boolean => SHELL_PROFILE.test(value);

const GEO_SERVICE =
  /(?:ipgeolocation\.io|ip-api\.com|ipinfo\.io|geolocation-db\.com|ipapi\.co|freegeoip|ipwho\.is)/i;
const GEO_TARGET = /^(?:ru|by|rus|blr|russia|belarus|russian federation|europe\/moscow|europe\/minsk)$/i;
export const geoService = (value: string): boolean => GEO_SERVICE.test(value);
export const geoTarget = (value: string): boolean => GEO_TARGET.test(value.trim());

const GITHUB_REPO_CREATE =
  /api\.github\.com\/(?:user\/repos|repos\/[^/]*\/[^/]*\/(?:contents|actions|git)|graphql)/;
export const githubApiWrite = (value: string): boolean => GITHUB_REPO_CREATE.test(value);

const CRYPTO_ADDRESS =
  /^(?:0x[a-fA-F0-9]{40}|(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25,59}|T[1-9A-HJ-NP-Za-km-z]{33}|[LM][a-km-zA-HJ-NP-Z1-9]{26,33}|[1-9A-HJ-NP-Za-km-z]{43,44})$/;

/** A literal that is exactly a BTC/ETH/TRX/LTC/SOL address. */
export const cryptoAddress = (value: string): boolean =>
  value.length >= 26 && value.length <= 62 && CRYPTO_ADDRESS.test(value);

const TOKEN_VARS =
  /^(?:NPM_TOKEN|NODE_AUTH_TOKEN|GITHUB_TOKEN|GH_TOKEN|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AZURE_CLIENT_SECRET|GOOGLE_APPLICATION_CREDENTIALS|CIRCLE_TOKEN|GITLAB_TOKEN)$/;
export const tokenVariable = (name: string): boolean => TOKEN_VARS.test(name);

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++)
    counts.set(value.charCodeAt(i), (counts.get(value.charCodeAt(i)) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4}){2,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2}){6,}$/;

/** The readable text a base64 or hex constant hides, if it decodes to mostly printable ASCII. */
export function decodeConstant(value: string): string | undefined {
  if (value.length < 8 || value.length > 4096) return undefined;
  let decoded: string | undefined;
  if (HEX.test(value)) decoded = Buffer.from(value, 'hex').toString('latin1');
  else if (BASE64.test(value)) decoded = Buffer.from(value, 'base64').toString('latin1');
  if (decoded === undefined) return undefined;
  let printable = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 10 || c === 13 || c === 9) printable++;
  }
  return printable / decoded.length > 0.95 ? decoded : undefined;
}
