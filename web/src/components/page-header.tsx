import { Breadcrumb, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** A screen's title, optional trail back and actions; wraps on a phone. */
export function PageHeader({
  title,
  subtitle,
  extra,
  trail,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
  trail?: { to: string; label: string }[];
}) {
  return (
    <div style={{ marginBottom: 16 }}>
      {trail && trail.length > 0 && (
        <Breadcrumb
          style={{ marginBottom: 4 }}
          items={trail.map((c) => ({ title: <Link to={c.to}>{c.label}</Link> }))}
        />
      )}
      <Flex wrap gap={8} align="center" justify="space-between">
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ margin: 0, fontSize: 20 }}>
            {title}
          </Typography.Title>
          {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
        </div>
        {extra && (
          <Flex wrap gap={8}>
            {extra}
          </Flex>
        )}
      </Flex>
    </div>
  );
}
