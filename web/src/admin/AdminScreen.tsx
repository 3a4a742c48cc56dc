// The administration screen: a tab per section (users, roles, API keys, the
// audit log, sites, tenants, the licence, one's own account), each at its
// own address under `/admin` and offered only to those who may open it.
// `/admin` itself shows the first section the user may open.

import type { ReactNode } from "react";
import { Link, NavLink, Route, Routes, useMatch } from "react-router-dom";

import type { Me } from "../api/types";
import { useApp } from "../app/context";
import { AccountSection } from "./AccountSection";
import { ApiKeysSection } from "./ApiKeysSection";
import { AuditSection } from "./AuditSection";
import { LicenceSection } from "./LicenceSection";
import { RolesSection } from "./RolesSection";
import { type AdminSection, type SectionId, SECTIONS, openSections } from "./sections";
import { SitesSection } from "./SitesSection";
import { TenantsSection } from "./TenantsSection";
import { UsersSection } from "./UsersSection";
import "./admin.css";

const CONTENT: Record<SectionId, () => ReactNode> = {
  users: () => <UsersSection />,
  roles: () => <RolesSection />,
  "api-keys": () => <ApiKeysSection />,
  audit: () => <AuditSection />,
  sites: () => <SitesSection />,
  tenants: () => <TenantsSection />,
  licence: () => <LicenceSection />,
  account: () => <AccountSection />,
};

export function AdminScreen() {
  const { me } = useApp();
  const open = openSections(me);
  const first = open[0];
  const atIndex = useMatch("/admin") !== null;

  return (
    <section className="admin-screen" aria-label="Admin">
      <header className="bar">
        <h1>Administration</h1>
        <nav className="admin-tabs" aria-label="Admin sections">
          {open.map((s) => (
            <NavLink key={s.id} to={`/admin/${s.id}`} className={({ isActive }) => (isActive || (atIndex && s === first) ? "active" : "")}>
              {s.label}
            </NavLink>
          ))}
        </nav>
      </header>
      <Routes>
        <Route index element={first ? CONTENT[first.id]() : null} />
        {SECTIONS.map((s) => (
          <Route key={s.id} path={s.id} element={<SectionGate me={me} section={s} />} />
        ))}
        <Route path="*" element={<NoSection />} />
      </Routes>
    </section>
  );
}

/// Shows a section only to a user who may open it.
function SectionGate({ me, section }: { me: Me; section: AdminSection }) {
  if (section.open(me)) return CONTENT[section.id]();
  return (
    <div className="admin-section" role="alert" aria-label="Not allowed">
      <h2>{section.label}</h2>
      <p>
        Your account may not open this section: it needs {section.needs}. <Link to="/admin">Go to administration</Link>
      </p>
    </div>
  );
}

function NoSection() {
  return (
    <div className="admin-section" role="alert">
      <h2>No such section</h2>
      <p>
        <Link to="/admin">Go to administration</Link>
      </p>
    </div>
  );
}
