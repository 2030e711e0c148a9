using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XmppConf.Core.DataForms;
using XmppConf.Core.Xml;

namespace XmppConf.Core.Tests.DataForms;

[TestClass]
public sealed class DataFormTests
{
    private static readonly XNamespace X = Ns.DataForms;

    [TestMethod]
    public void TryParse_SubmittedForm_ReadsTypeFieldsAndFormType()
    {
        var x = XElement.Parse("""
            <x xmlns='jabber:x:data' type='submit'>
              <field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>
              <field var='muc#roomconfig_roomname'><value>A Dark Cave</value></field>
              <field var='muc#roomconfig_roomadmins'><value>a@example.org</value><value>b@example.org</value></field>
            </x>
            """);

        Assert.IsTrue(DataForm.TryParse(x, out var form, out var error), error);

        Assert.AreEqual(DataFormType.Submit, form.Type);
        Assert.AreEqual("http://jabber.org/protocol/muc#roomconfig", form.FormType);
        Assert.AreEqual("A Dark Cave", form.Field("muc#roomconfig_roomname")?.Value);
        CollectionAssert.AreEqual(new[] { "a@example.org", "b@example.org" }, form.Field("muc#roomconfig_roomadmins")!.Values);
        Assert.IsNull(form.Field("missing"));
    }

    [TestMethod]
    [DataRow("<x xmlns='jabber:x:data'/>", DisplayName = "no type")]
    [DataRow("<x xmlns='jabber:x:data' type='bogus'/>", DisplayName = "unknown type")]
    [DataRow("<x xmlns='other' type='submit'/>", DisplayName = "wrong namespace")]
    [DataRow("<x xmlns='jabber:x:data' type='submit'><field type='nope' var='a'/></x>", DisplayName = "unknown field type")]
    [DataRow("<x xmlns='jabber:x:data' type='submit'><field type='text-single'/></x>", DisplayName = "field without var")]
    [DataRow("<x xmlns='jabber:x:data' type='submit'><field var='a'/><field var='a'/></x>", DisplayName = "duplicate var")]
    public void TryParse_Malformed_Fails(string xml)
    {
        Assert.IsFalse(DataForm.TryParse(XElement.Parse(xml), out _, out var error));
        Assert.IsNotNull(error);
    }

    [TestMethod]
    public void TryParse_FixedFieldWithoutVar_Accepted()
    {
        var x = XElement.Parse("<x xmlns='jabber:x:data' type='form'><field type='fixed'><value>Note</value></field></x>");

        Assert.IsTrue(DataForm.TryParse(x, out var form, out _));
        Assert.AreEqual(FormFieldType.Fixed, form.Fields.Single().Type);
    }

    [TestMethod]
    public void ToElement_RoundTrips()
    {
        var form = new DataForm(DataFormType.Form, "urn:example") { Title = "Config" };
        form.Instructions.Add("Fill it in.");
        form.Add(new FormField("flag", FormFieldType.Boolean, "Flag?") { Required = true, Description = "d" }).WithBoolean(true);
        form.Add(new FormField("choice", FormFieldType.ListSingle, "Pick")).WithValue("b").WithOption("a", "A").WithOption("b");

        Assert.IsTrue(DataForm.TryParse(form.ToElement(), out var parsed, out var error), error);

        Assert.AreEqual(DataFormType.Form, parsed.Type);
        Assert.AreEqual("Config", parsed.Title);
        Assert.AreEqual("Fill it in.", parsed.Instructions.Single());
        Assert.AreEqual("urn:example", parsed.FormType);
        var flag = parsed.Field("flag")!;
        Assert.AreEqual(FormFieldType.Boolean, flag.Type);
        Assert.IsTrue(flag.Required);
        Assert.AreEqual("d", flag.Description);
        Assert.AreEqual("Flag?", flag.Label);
        Assert.IsTrue(flag.TryGetBoolean(out var value) && value);
        var choice = parsed.Field("choice")!;
        Assert.AreEqual(2, choice.Options.Count);
        Assert.AreEqual("A", choice.Options[0].Label);
        Assert.IsNull(choice.Options[1].Label);
        Assert.AreEqual(FormFieldType.Hidden, parsed.Field(DataForm.FormTypeVar)!.Type);
    }

    [TestMethod]
    [DataRow("1", true, true)]
    [DataRow("true", true, true)]
    [DataRow("0", true, false)]
    [DataRow("false", true, false)]
    [DataRow(null, true, false)]
    [DataRow("yes", false, false)]
    [DataRow("TRUE", false, false)]
    public void TryGetBoolean_Values(string? value, bool ok, bool expected)
    {
        var field = new FormField("b");
        if (value is not null) field.WithValue(value);

        Assert.AreEqual(ok, field.TryGetBoolean(out var result));
        Assert.AreEqual(expected, result);
    }

    [TestMethod]
    public void JoinedValue_TextMulti_JoinsLines()
    {
        var field = new FormField("t", FormFieldType.TextMulti).WithValue("one").WithValue("two");

        Assert.AreEqual("one\ntwo", field.JoinedValue);
    }

    [TestMethod]
    public void FindIn_ParentWithForm_ReturnsIt()
    {
        var parent = new XElement("query", new DataForm(DataFormType.Submit).ToElement());

        Assert.AreEqual(DataFormType.Submit, DataForm.FindIn(parent)?.Type);
        Assert.IsNull(DataForm.FindIn(new XElement("query")));
    }
}
