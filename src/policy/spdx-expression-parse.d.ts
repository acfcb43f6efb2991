// Types for spdx-expression-parse 5 (it ships none): the AST its README documents.
declare module 'spdx-expression-parse' {
  interface SpdxLicenseNode {
    license: string;
    plus?: true;
    exception?: string;
  }
  interface SpdxConjunctionNode {
    left: SpdxNode;
    conjunction: 'and' | 'or';
    right: SpdxNode;
  }
  type SpdxNode = SpdxLicenseNode | SpdxConjunctionNode;
  function parse(source: string): SpdxNode;
  export default parse;
  export type { SpdxNode, SpdxLicenseNode, SpdxConjunctionNode };
}
