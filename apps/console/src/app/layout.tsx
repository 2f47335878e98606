import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n/i18n';
import { logout } from '../lib/http';
import { useSession } from '../lib/session';
import { navFor } from './navigation';

const { Header, Sider, Content } = Layout;

/** The shell: navigation for the person's roles, who is signed in, language, sign-out. */
export function AppLayout() {
  const s = useSession();
  const { t, code, lang, setLang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const items = navFor(s?.user.roles ?? []);
  const selected = items.find((n) => location.pathname.startsWith(n.path))?.path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider breakpoint="lg" collapsedWidth={0} theme="dark" width={200}>
        <div style={{ color: '#fff', padding: '16px 20px', fontWeight: 600, fontSize: 16 }}>{t('app.title')}</div>
        <nav aria-label={t('app.title')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={items.map((n) => ({ key: n.path, label: <Link to={n.path}>{t(n.label)}</Link> }))}
          />
        </nav>
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}>
          <Space size="middle">
            <Typography.Text strong>{s?.user.displayName}</Typography.Text>
            <span>
              {s?.user.roles.map((r) => (
                <Tag key={r} color="blue">
                  {code('role', r)}
                </Tag>
              ))}
            </span>
            <Button size="small" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} lang={lang === 'en' ? 'zh-CN' : 'en'}>
              {t('nav.language')}
            </Button>
            <Button
              size="small"
              onClick={() =>
                void logout().then(() => {
                  queryClient.clear();
                  return navigate('/login');
                })
              }
            >
              {t('nav.logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: 24 }}>
          <main>
            <Outlet />
          </main>
        </Content>
      </Layout>
    </Layout>
  );
}
