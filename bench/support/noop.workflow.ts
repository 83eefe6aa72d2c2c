/** The dispatch floor's workflow: started and completed, nothing in between. */
export async function noopWorkflow(): Promise<void> {
  // nothing: what is measured is Temporal starting and completing a workflow
}
