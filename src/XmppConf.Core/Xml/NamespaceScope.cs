using System.Xml.Linq;

namespace XmppConf.Core.Xml;

/// <summary>
/// In-scope namespace bindings (Namespaces in XML 1.0 §6) as a stack; the default namespace is the
/// prefix "". Lookups are O(1) through a prefix index whose entries chain to the binding they shadow,
/// so many declarations across a deep stanza cannot make resolution quadratic.
/// </summary>
internal sealed class NamespaceScope
{
    private readonly Dictionary<string, int> _innermost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private Binding[] _bindings = new Binding[8];

    public NamespaceScope()
    {
        _lookup = _innermost.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Number of bindings; pass it to <see cref="PopTo"/> to leave an element's scope.</summary>
    public int Count { get; private set; }

    public void Declare(string prefix, XNamespace ns)
    {
        if (Count == _bindings.Length)
        {
            Array.Resize(ref _bindings, Count * 2);
        }
        _bindings[Count] = new Binding(prefix, ns, _innermost.TryGetValue(prefix, out var shadowed) ? shadowed : -1);
        _innermost[prefix] = Count;
        Count++;
    }

    public void PopTo(int mark)
    {
        while (Count > mark)
        {
            ref var binding = ref _bindings[--Count];
            if (binding.Shadowed < 0)
            {
                _innermost.Remove(binding.Prefix);
            }
            else
            {
                _innermost[binding.Prefix] = binding.Shadowed;
            }
            binding = default;
        }
    }

    /// <summary>The namespace bound to <paramref name="prefix"/>, or null when unbound.</summary>
    public XNamespace? Resolve(ReadOnlySpan<char> prefix) =>
        _lookup.TryGetValue(prefix, out var index) ? _bindings[index].Namespace : null;

    private readonly record struct Binding(string Prefix, XNamespace Namespace, int Shadowed);
}
