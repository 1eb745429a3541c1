export { DEV_IDP_WARNING, escapeHtml } from './pages';
export { type DevIdentityProviderMountOptions, registerDevIdentityProvider } from './plugin';
export {
  acrFor,
  createDevIdentityProvider,
  DEV_IDP_ACR_MFA,
  DEV_IDP_ACR_PASSWORD,
  type DevIdentityProvider,
  type DevIdentityProviderOptions,
  type DevIdpClient,
  type DevIdpClientSpec,
  devIdentityProviderEnabled,
} from './provider';
