using System.Xml.Linq;

namespace XmppConf.Core.Xml;

/// <summary>One unit cut from an XML stream.</summary>
/// <param name="Kind">What the unit is.</param>
/// <param name="Element">The parsed element; null for <see cref="FrameKind.StreamClose"/>.</param>
/// <param name="ByteLength">UTF-8 bytes of the unit's markup, without whitespace skipped before it.</param>
public readonly record struct XmppFrame(FrameKind Kind, XElement? Element, int ByteLength);
