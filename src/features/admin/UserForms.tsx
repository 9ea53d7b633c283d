import { useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { errorMessage } from '../../api/useRemote.ts';
import { type UserSummary, type Unit } from '../../shared/api/admin.ts';
import { ROLE_LABELS, ROLES, type Role } from '../../shared/roles.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { Checkboxes } from '../../ui/Checkboxes.tsx';
import { Button, ErrorSummary, Form, TextField, type FieldError } from '../../ui/form.tsx';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
const JOB_TITLE_HINT = 'As action plans name owners, for example Head of Residence. Actions are suggested to people by it.';

interface UnitCheckboxesProps {
  id: string;
  units: readonly Unit[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
}

/**
 * The units a person looks after: their Today screen lists checks for these. None ticked means all
 * units (a duty governor's round covers the whole establishment). Archived units show only while
 * still ticked, so they can be taken off.
 */
function UnitCheckboxes({ id, units, selected, onChange }: UnitCheckboxesProps) {
  const shown = units.filter((u) => !u.archived || selected.includes(u.id));
  if (shown.length === 0) return null;
  return (
    <Checkboxes
      id={id}
      legend="Units they look after"
      hint="Their Today screen lists the checks due on these units. Leave them all unticked for all units."
      options={shown.map((unit) => ({ value: unit.id, label: unit.archived ? `${unit.name} (archived)` : unit.name }))}
      selected={selected}
      onChange={onChange}
    />
  );
}

interface EditUserProps {
  user: UserSummary;
  units: readonly Unit[];
  /** False when passwords are switched off (single sign-on only): none is set here. */
  passwords: boolean;
  onDone: (message: string) => void;
  onCancel: () => void;
}

/** One person's name, job title, roles and units; their account switched off or on; their password reset. */
export function EditUser({ user, units, passwords, onDone, onCancel }: EditUserProps) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [jobTitle, setJobTitle] = useState(user.jobTitle ?? '');
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [unitIds, setUnitIds] = useState<string[]>(user.unitIds);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const run = async (field: string, action: () => Promise<string>) => {
    setErrors([]);
    try {
      onDone(await action());
    } catch (error) {
      setErrors([{ field, message: errorMessage(error) }]);
    }
  };
  return (
    <div class="app-panel" data-testid="edit-user">
      <h2 class="govuk-heading-m">Change {user.displayName}</h2>
      <ErrorSummary errors={errors} />
      <TextField id="edit-display-name" label="Name" value={displayName} onInput={setDisplayName} />
      <TextField id="edit-job-title" label="Job title" hint={JOB_TITLE_HINT} value={jobTitle} onInput={setJobTitle} width="full" />
      <Checkboxes id="edit-roles" legend="Roles in this establishment" options={ROLE_OPTIONS} selected={roles} onChange={setRoles} />
      <UnitCheckboxes id="edit-units" units={units} selected={unitIds} onChange={setUnitIds} />
      <ButtonGroup>
        <Button
          onClick={() =>
            void run('edit-display-name', async () => {
              const changes = { displayName, jobTitle: jobTitle.trim() || null, roles, unitIds };
              await api.call('users.update', { params: { id: user.id }, body: changes });
              return `${displayName}'s details were saved.`;
            })}
        >
          Save changes
        </Button>
        <Button
          secondary={user.disabled}
          warning={!user.disabled}
          onClick={() =>
            void run('edit-display-name', async () => {
              await api.call('users.update', { params: { id: user.id }, body: { disabled: !user.disabled } });
              return user.disabled ? `${user.displayName} can sign in again.` : `${user.displayName} can no longer sign in.`;
            })}
        >
          {user.disabled ? 'Enable account' : 'Disable account'}
        </Button>
        <Button secondary onClick={onCancel}>
          Cancel
        </Button>
      </ButtonGroup>
      {passwords && (
        <>
          <TextField
            id="reset-password"
            label="New password"
            hint="At least 10 characters. Signs them out everywhere; it works once, then they choose their own."
            type="password"
            autoComplete="new-password"
            value={password}
            onInput={setPassword}
          />
          <Button
            secondary
            onClick={() =>
              void run('reset-password', async () => {
                await api.call('users.resetPassword', { params: { id: user.id }, body: { password } });
                return `${user.displayName}'s password was reset.`;
              })}
          >
            Reset password
          </Button>
        </>
      )}
    </div>
  );
}

interface AddUserProps {
  units: readonly Unit[];
  passwords: boolean;
  onDone: (message: string) => void;
}

export function AddUser({ units, passwords, onDone }: AddUserProps) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [jobTitle, setJobTitle] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(['unit-manager']);
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const submit = async () => {
    setErrors([]);
    try {
      const oneTime = passwords ? password : undefined;
      const body = { username, displayName, jobTitle: jobTitle.trim() || null, password: oneTime, roles, unitIds };
      const created = await api.call('users.create', { body });
      setUsername('');
      setDisplayName('');
      setJobTitle('');
      setPassword('');
      setUnitIds([]);
      onDone(`${created.displayName} was added.`);
    } catch (error) {
      setErrors([{ field: 'new-username', message: errorMessage(error) }]);
    }
  };
  return (
    <Form onSubmit={() => void submit()}>
      <h2 class="govuk-heading-m">Add a user</h2>
      <ErrorSummary errors={errors} />
      <TextField id="new-username" label="Username" hint="For example, jo.bloggs" value={username} onInput={setUsername} autoComplete="off" />
      <TextField id="new-display-name" label="Name" value={displayName} onInput={setDisplayName} width="full" />
      <TextField id="new-job-title" label="Job title" hint={JOB_TITLE_HINT} value={jobTitle} onInput={setJobTitle} width="full" />
      {passwords ? (
        <TextField
          id="new-password"
          label="Password"
          hint="At least 10 characters. Give it to them in person: it works once, then they choose their own."
          type="password"
          autoComplete="new-password"
          value={password}
          onInput={setPassword}
        />
      ) : (
        <p class="govuk-body">They sign in with single sign-on: their username must be the one the identity provider gives them.</p>
      )}
      <Checkboxes id="new-roles" legend="Roles in this establishment" options={ROLE_OPTIONS} selected={roles} onChange={setRoles} />
      <UnitCheckboxes id="new-units" units={units} selected={unitIds} onChange={setUnitIds} />
      <Button type="submit">Add user</Button>
    </Form>
  );
}

/** A duty governor covering a group of prisons keeps one account: roles here are added to it. */
export function AddFromElsewhere({ units, onDone }: { units: readonly Unit[]; onDone: (message: string) => void }) {
  const [username, setUsername] = useState('');
  const [roles, setRoles] = useState<Role[]>(['duty-governor']);
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const submit = async () => {
    setErrors([]);
    try {
      const added = await api.call('users.addMember', { body: { username, roles, unitIds } });
      setUsername('');
      setUnitIds([]);
      onDone(`${added.displayName} now works in this establishment too.`);
    } catch (error) {
      setErrors([{ field: 'member-username', message: errorMessage(error) }]);
    }
  };
  return (
    <Form onSubmit={() => void submit()}>
      <h2 class="govuk-heading-m">Add someone from another establishment</h2>
      <p class="govuk-body">
        They keep their own account and password, and choose which establishment they are working in when they sign in.
      </p>
      <ErrorSummary errors={errors} />
      <TextField id="member-username" label="Their username" value={username} onInput={setUsername} autoComplete="off" />
      <Checkboxes id="member-roles" legend="Roles in this establishment" options={ROLE_OPTIONS} selected={roles} onChange={setRoles} />
      <UnitCheckboxes id="member-units" units={units} selected={unitIds} onChange={setUnitIds} />
      <Button type="submit">Add to this establishment</Button>
    </Form>
  );
}
