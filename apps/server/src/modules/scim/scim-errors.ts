export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export type ScimErrorType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidValue'
  | 'invalidPath'
  | 'mutability'
  | 'uniqueness'
  | 'noTarget';

/** An error as RFC 7644 §3.12 shapes it; `detail` is safe to show and never quotes a person's data. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimErrorType,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  body() {
    return {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

export const scimUnauthorized = () => new ScimError(401, 'A valid SCIM bearer token is required');
export const scimNotFound = (what: string) => new ScimError(404, `${what} not found`);
export const scimInvalid = (detail: string, scimType: ScimErrorType = 'invalidValue') =>
  new ScimError(400, detail, scimType);
