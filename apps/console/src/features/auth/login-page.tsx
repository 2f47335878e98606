import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, call } from '../../lib/http';
import { session } from '../../lib/session';

interface Credentials {
  username: string;
  password: string;
}

/** Sign-in; afterwards back to `returnTo` (the page a 401 interrupted) or home. */
export function Component() {
  const { t, lang, setLang } = useI18n();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const returnTo = params.get('returnTo');
  const login = useMutation({
    mutationFn: (body: Credentials) => call(api.POST('/api/auth/login', { body })),
    onSuccess: (res) => {
      queryClient.clear();
      session.set({
        token: res.accessToken,
        refreshToken: res.refreshToken,
        accessTokenExpiresAt: res.accessTokenExpiresAt,
        user: res.user,
      });
      const safe = returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') && !returnTo.startsWith('/login') ? returnTo : '/';
      void navigate(safe, { replace: true });
    },
  });
  const error = login.error;
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={1} style={{ fontSize: 22, textAlign: 'center' }}>
          {t('app.title')}
        </Typography.Title>
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          {t('login.title')}
        </Typography.Title>
        {params.get('expired') && <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />}
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={error instanceof ApiError && error.status === 401 ? t('login.failed') : error.message}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<Credentials> layout="vertical" onFinish={(v) => login.mutate(v)} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('form.required', { field: t('login.username') }) }]}
          >
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('form.required', { field: t('login.password') }) }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
        <Button type="link" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} style={{ marginTop: 8, padding: 0 }}>
          {t('nav.language')}
        </Button>
      </Card>
    </main>
  );
}
