namespace LiveChat.LoadTests;

/// <summary>Things to stop before the watchdog ends the process (the embedded server, workers).</summary>
internal static class Watchdog
{
    private static readonly List<Action> Actions = [];

    public static void OnFire(Action action) { lock (Actions) Actions.Add(action); }

    public static void Fire()
    {
        lock (Actions)
        {
            foreach (var a in Actions)
            {
                try { a(); } catch (Exception) { /* best effort on the way out */ }
            }
        }
    }
}
