namespace Conformance.Harness.Tests.FaultServer;

public sealed partial class FaultServer
{
    /// <summary>
    /// Answers paths no exact route maps (null: 404), for resources whose paths are seeded per case, like the
    /// writable role's fresh names. A null answer from it is a 404 too.
    /// </summary>
    public Func<FaultRequest, FaultResponse?>? Fallback { get; set; }
}
