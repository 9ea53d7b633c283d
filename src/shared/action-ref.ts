/**
 * How a person names an action, the same on every screen, in the CSV and in the PDF: its concern's
 * published ref and which of the concern's actions it is, counting from 1 in published order
 * ("1.3": concern 1, third action; "5.12.1": the one action of recommendation 5.12). A bare "1"
 * would name six actions at once.
 *
 * `position` is the action's place in its concern as stored (0 = first). A plan revision parks the
 * actions it drops at -position - 1 (see server/src/services/plans.ts): they keep the number they
 * had, marked archived, so evidence recorded against them still says which action it proved.
 */
export function actionRef(concernRef: string, position: number): string {
  return position >= 0 ? `${concernRef}.${position + 1}` : `${concernRef}.${-position} (archived)`;
}
