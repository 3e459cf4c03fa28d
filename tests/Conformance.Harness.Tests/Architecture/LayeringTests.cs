using System.Reflection;
using System.Xml.Linq;
using Conformance.Harness.Browser;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;

namespace Conformance.Harness.Tests.Architecture;

/// <summary>
/// The layers of docs/architecture.md, held in place: Core at the bottom, Browser and Reporting beside each
/// other on it, Run on all three, the CLI on top; and no product project leaning on a test project. The
/// compiler refuses a cycle between projects, but not a new reference that runs the wrong way (Core referencing
/// Run would compile once Run stopped referencing Core); these tests refuse that.
/// </summary>
public sealed class LayeringTests
{
    private static readonly IReadOnlyDictionary<string, string[]> AllowedProjectReferences = new Dictionary<string, string[]>
    {
        ["Conformance.Core"] = [],
        ["Conformance.Browser"] = ["Conformance.Core"],
        ["Conformance.Reporting"] = ["Conformance.Core"],
        ["Conformance.Run"] = ["Conformance.Core", "Conformance.Browser", "Conformance.Reporting"],
        ["Conformance.Cli"] = ["Conformance.Run", "ReferenceServer"],
        ["ReferenceServer"] = [],
    };

    [Test]
    public void Every_project_under_src_references_only_the_layers_below_it_and_nothing_under_tests()
    {
        var src = Path.Combine(RepoPaths.Root(), "src");
        var projects = Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.That(projects.Select(Path.GetFileNameWithoutExtension), Is.EquivalentTo(AllowedProjectReferences.Keys),
            "a project was added or renamed under src/: place it in a layer here and in docs/architecture.md");
        Assert.Multiple(() =>
        {
            foreach (var project in projects)
            {
                var name = Path.GetFileNameWithoutExtension(project);
                var referenced = ProjectReferences(project).ToList();
                foreach (var path in referenced)
                {
                    var relative = Path.GetRelativePath(RepoPaths.Root(), path).Replace('\\', '/');
                    Assert.That(relative, Does.StartWith("src/"), $"{name} references {relative}: a product project must not depend on a test project");
                }
                Assert.That(referenced.Select(Path.GetFileNameWithoutExtension), Is.SubsetOf(AllowedProjectReferences[name]),
                    $"{name} references a project outside the layers below it (docs/architecture.md)");
            }
        });
    }

    [Test]
    public void Each_product_assembly_uses_only_the_assemblies_of_the_layers_below_it()
    {
        // What the compiled code uses, not what the project file lists: a reference the code never touches
        // leaves no trace in the assembly, one it does touch always does.
        var layers = new Dictionary<Assembly, string[]>
        {
            [typeof(CaseRunner).Assembly] = [],
            [typeof(BrowserRunner).Assembly] = ["Conformance.Core"],
            [typeof(ReportBuilder).Assembly] = ["Conformance.Core"],
            [typeof(RunDriver).Assembly] = ["Conformance.Core", "Conformance.Browser", "Conformance.Reporting"],
        };
        Assert.Multiple(() =>
        {
            foreach (var (assembly, allowed) in layers)
            {
                var ours = assembly.GetReferencedAssemblies().Select(a => a.Name!)
                    .Where(n => n.StartsWith("Conformance.", StringComparison.Ordinal) || n is "conformance" or "ReferenceServer");
                Assert.That(ours, Is.SubsetOf(allowed), $"{assembly.GetName().Name} uses an assembly outside the layers below it");
            }
        });
    }

    [Test]
    public void The_layers_are_the_assemblies_the_docs_name()
    {
        Assert.Multiple(() =>
        {
            Assert.That(typeof(CaseRunner).Assembly.GetName().Name, Is.EqualTo("Conformance.Core"));
            Assert.That(typeof(AgreementResult).Assembly.GetName().Name, Is.EqualTo("Conformance.Core"), "CaseResult carries it, so it sits below the browser project");
            Assert.That(typeof(BrowserRunner).Assembly.GetName().Name, Is.EqualTo("Conformance.Browser"));
            Assert.That(typeof(ReportBuilder).Assembly.GetName().Name, Is.EqualTo("Conformance.Reporting"));
            Assert.That(typeof(RunDriver).Assembly.GetName().Name, Is.EqualTo("Conformance.Run"));
        });
    }

    private static IEnumerable<string> ProjectReferences(string project)
    {
        var folder = Path.GetDirectoryName(project)!;
        return XDocument.Load(project).Descendants("ProjectReference")
            .Select(e => e.Attribute("Include")?.Value)
            .OfType<string>()
            .Select(include => Path.GetFullPath(Path.Combine(folder, include.Replace('\\', Path.DirectorySeparatorChar))));
    }
}
