// Differential oracle for tests/Cloudkeep.Policy.Tests: reads an array of cases (JSON on stdin), prints one
// decision per case (JSON array on stdout). Test-only: @cloud-copilot/iam-simulate is AGPL and never shipped.
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate'

const input = await new Promise((resolve) => {
  let data = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk) => (data += chunk))
  process.stdin.on('end', () => resolve(data))
})

const cases = JSON.parse(input)
const results = []
for (const c of cases) {
  const simulation = {
    request: {
      principal: typeof c.principal === 'string' ? c.principal : anonymousPrincipal,
      action: c.action,
      resource: { resource: c.resource, accountId: c.resourceAccount },
      contextVariables: c.context
    },
    identityPolicies: c.identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: (c.scps ?? []).map((policies, i) => ({
      orgIdentifier: `ou-${i}`,
      policies: policies.map((policy, j) => ({ name: `scp-${i}-${j}`, policy }))
    })),
    resourceControlPolicies: [],
    resourcePolicy: c.resourcePolicy ?? undefined,
    sessionPolicy: c.session ?? undefined,
    permissionBoundaryPolicies: c.boundary ? [{ name: 'boundary', policy: c.boundary }] : undefined
  }
  try {
    const response = await runSimulation(simulation, {})
    if (response.resultType === 'error') {
      results.push({ error: JSON.stringify(response.errors).slice(0, 500) })
    } else {
      results.push({ result: response.overallResult })
    }
  } catch (e) {
    results.push({ error: String(e).slice(0, 500) })
  }
}
process.stdout.write(JSON.stringify(results))
