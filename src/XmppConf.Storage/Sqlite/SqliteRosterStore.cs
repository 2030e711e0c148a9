using Microsoft.Data.Sqlite;
using XmppConf.Storage.Abstractions;

namespace XmppConf.Storage.Sqlite;

/// <summary>
/// Rosters in SQLite: roster_items keyed (owner, contact), groups in the roster_groups child
/// table (in the order given), and a roster_versions counter row per owner bumped in the same
/// transaction as the change it versions.
/// </summary>
public sealed class SqliteRosterStore : IRosterStore
{
    private const string ItemColumns =
        "i.contact, i.name, i.subscription, i.pending_out, i.pending_in, i.pre_approved, i.in_roster, i.pending_in_stanza, g.name";

    private readonly SqliteDatabase _db;

    public SqliteRosterStore(SqliteDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
    }

    public Task<IReadOnlyList<RosterItem>> GetAllAsync(string ownerBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        return _db.ReadAsync(async (connection, token) =>
        {
            await using var select = connection.Command(null, $"""
                    SELECT {ItemColumns}
                    FROM roster_items i LEFT JOIN roster_groups g ON g.owner = i.owner AND g.contact = i.contact
                    WHERE i.owner = $owner
                    ORDER BY i.contact, g.position;
                    """)
                .With("$owner", ownerBareJid);
            return await ReadItemsAsync(select, token).ConfigureAwait(false);
        }, ct);
    }

    public Task<RosterItem?> GetAsync(string ownerBareJid, string contactBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        StoreGuard.Jid(contactBareJid, nameof(contactBareJid));
        return _db.ReadAsync(async (connection, token) =>
        {
            await using var select = connection.Command(null, $"""
                    SELECT {ItemColumns}
                    FROM roster_items i LEFT JOIN roster_groups g ON g.owner = i.owner AND g.contact = i.contact
                    WHERE i.owner = $owner AND i.contact = $contact
                    ORDER BY g.position;
                    """)
                .With("$owner", ownerBareJid)
                .With("$contact", contactBareJid);
            var items = await ReadItemsAsync(select, token).ConfigureAwait(false);
            return items.Count == 0 ? null : items[0];
        }, ct);
    }

    public Task<long> SetAsync(string ownerBareJid, RosterItem item, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        StoreGuard.RosterItem(item);
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            await using (var upsert = connection.Command(tx, """
                    INSERT INTO roster_items (owner, contact, name, subscription, pending_out, pending_in, pre_approved, in_roster, pending_in_stanza)
                    VALUES ($owner, $contact, $name, $subscription, $pendingOut, $pendingIn, $preApproved, $inRoster, $pendingInStanza)
                    ON CONFLICT (owner, contact) DO UPDATE SET
                        name = excluded.name, subscription = excluded.subscription,
                        pending_out = excluded.pending_out, pending_in = excluded.pending_in,
                        pre_approved = excluded.pre_approved, in_roster = excluded.in_roster,
                        pending_in_stanza = excluded.pending_in_stanza;
                    DELETE FROM roster_groups WHERE owner = $owner AND contact = $contact;
                    """)
                .With("$owner", ownerBareJid)
                .With("$contact", item.ContactJid)
                .With("$name", item.Name)
                .With("$subscription", (int)item.Subscription)
                .With("$pendingOut", item.PendingOut)
                .With("$pendingIn", item.PendingIn)
                .With("$preApproved", item.PreApproved)
                .With("$inRoster", item.InRoster)
                .With("$pendingInStanza", item.PendingInStanza))
            {
                await upsert.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }
            if (item.Groups.Count > 0)
            {
                await using var group = connection.Command(tx,
                    "INSERT INTO roster_groups (owner, contact, position, name) VALUES ($owner, $contact, $position, $name);");
                group.Parameters.AddWithValue("$owner", ownerBareJid);
                group.Parameters.AddWithValue("$contact", item.ContactJid);
                var position = group.Parameters.Add("$position", SqliteType.Integer);
                var name = group.Parameters.Add("$name", SqliteType.Text);
                for (var i = 0; i < item.Groups.Count; i++)
                {
                    position.Value = i;
                    name.Value = item.Groups[i];
                    await group.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }
            }
            return await BumpVersionAsync(connection, tx, ownerBareJid, token).ConfigureAwait(false);
        }, ct);
    }

    public Task<long> RemoveAsync(string ownerBareJid, string contactBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        StoreGuard.Jid(contactBareJid, nameof(contactBareJid));
        return _db.WriteAsync(async (connection, tx, token) =>
        {
            // roster_groups rows follow by ON DELETE CASCADE.
            await using var delete = connection.Command(tx, "DELETE FROM roster_items WHERE owner = $owner AND contact = $contact;")
                .With("$owner", ownerBareJid)
                .With("$contact", contactBareJid);
            if (await delete.ExecuteNonQueryAsync(token).ConfigureAwait(false) == 0)
            {
                return await ReadVersionAsync(connection, tx, ownerBareJid, token).ConfigureAwait(false);
            }
            return await BumpVersionAsync(connection, tx, ownerBareJid, token).ConfigureAwait(false);
        }, ct);
    }

    public Task<long> GetVersionAsync(string ownerBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        return _db.ReadAsync((connection, token) => ReadVersionAsync(connection, null, ownerBareJid, token), ct);
    }

    public Task<int> CountAsync(string ownerBareJid, CancellationToken ct = default)
    {
        StoreGuard.Jid(ownerBareJid, nameof(ownerBareJid));
        return _db.ReadAsync(async (connection, token) =>
        {
            await using var count = connection.Command(null, "SELECT COUNT(*) FROM roster_items WHERE owner = $owner;")
                .With("$owner", ownerBareJid);
            return Convert.ToInt32(await count.ExecuteScalarAsync(token).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, ct);
    }

    private static async Task<long> BumpVersionAsync(SqliteConnection connection, SqliteTransaction tx, string owner, CancellationToken ct)
    {
        await using var bump = connection.Command(tx, """
                INSERT INTO roster_versions (owner, version) VALUES ($owner, 1)
                ON CONFLICT (owner) DO UPDATE SET version = version + 1
                RETURNING version;
                """)
            .With("$owner", owner);
        return (long)(await bump.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private static async Task<long> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? tx, string owner, CancellationToken ct)
    {
        await using var read = connection.Command(tx, "SELECT version FROM roster_versions WHERE owner = $owner;")
            .With("$owner", owner);
        return await read.ExecuteScalarAsync(ct).ConfigureAwait(false) is long version ? version : 0;
    }

    /// <summary>Folds the item ⋈ group rows (ordered by contact, then group position) into items.</summary>
    private static async Task<IReadOnlyList<RosterItem>> ReadItemsAsync(SqliteCommand select, CancellationToken ct)
    {
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var items = new List<RosterItem>();
        string? contact = null;
        RosterItem? current = null;
        List<string>? groups = null;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var rowContact = reader.GetString(0);
            if (!string.Equals(rowContact, contact, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    items.Add(current with { Groups = groups! });
                }
                contact = rowContact;
                groups = [];
                current = new RosterItem(
                    rowContact,
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    (SubscriptionState)reader.GetInt32(2),
                    reader.GetBoolean(3),
                    reader.GetBoolean(4),
                    reader.GetBoolean(5),
                    reader.GetBoolean(6),
                    [],
                    reader.IsDBNull(7) ? null : reader.GetString(7));
            }
            if (!reader.IsDBNull(8))
            {
                groups!.Add(reader.GetString(8));
            }
        }
        if (current is not null)
        {
            items.Add(current with { Groups = groups! });
        }
        return items;
    }
}
