using Microsoft.Playwright;

namespace Judge.Dashboard.BrowserTests;

/// <summary>Records, inside the page, every state a submission row or the submission page shows (a MutationObserver
/// installed before the page's own scripts run), so a test sees states that last only a moment.</summary>
internal static class LiveStates
{
    private const string Script = """
        (() => {
          window.__rows = {};
          window.__page = [];
          const push = (list, value) => { if (value && list.at(-1) !== value) list.push(value); };
          new MutationObserver(records => {
            for (const record of records) {
              const nodes = record.type === 'attributes' ? [record.target] : [...record.addedNodes];
              for (const node of nodes) {
                if (node.nodeType !== 1) continue;
                for (const row of node.matches('tr[data-id]') ? [node] : node.querySelectorAll('tr[data-id]')) {
                  const seen = (window.__rows[row.dataset.id] ??= { statuses: [], texts: [] });
                  push(seen.statuses, row.dataset.status);
                  push(seen.texts, row.querySelector('td.status')?.textContent);
                }
              }
              const summary = document.getElementById('summary');
              if (summary && summary.dataset.status) {
                const tests = document.querySelectorAll('#tests tbody tr[data-test]').length;
                const pending = document.querySelectorAll('#tests tbody tr[data-pending]').length;
                push(window.__page, `${summary.dataset.status}:${tests}:${pending}`);
              }
            }
          }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
        })();
        """;

    public static Task InstallAsync(IPage page) => page.AddInitScriptAsync(Script);

    /// <summary>The statuses a row showed, in order (repeats collapsed).</summary>
    public static Task<string[]> RowStatusesAsync(IPage page, string id) =>
        page.EvaluateAsync<string[]>("id => window.__rows[id]?.statuses ?? []", id);

    /// <summary>The texts of a row's status cell, in order ("running · test 3 of 9").</summary>
    public static Task<string[]> RowTextsAsync(IPage page, string id) =>
        page.EvaluateAsync<string[]>("id => window.__rows[id]?.texts ?? []", id);

    /// <summary>What the submission page showed, in order: "status:tests with a result:pending rows".</summary>
    public static Task<string[]> PageStatesAsync(IPage page) => page.EvaluateAsync<string[]>("() => window.__page");

    private static readonly string[] Lifecycle = ["queued", "compiling", "running", "finished"];

    /// <summary>Fails unless the statuses only move forward through the lifecycle.</summary>
    public static void AssertInLifecycleOrder(IReadOnlyList<string> statuses)
    {
        var ranks = statuses.Select(s => Array.IndexOf(Lifecycle, s)).ToList();
        Assert.DoesNotContain(-1, ranks);
        for (var i = 1; i < ranks.Count; i++)
            Assert.True(ranks[i] >= ranks[i - 1], $"the states went backwards: {string.Join(" → ", statuses)}");
    }
}
