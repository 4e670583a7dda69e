// One or more ringcast hosts on EC2: VPC with a public subnet, per host an instance (compute
// optimised), Elastic IP, security group (TCP 443, 7880, the media UDP port), an instance role
// limited to its recordings prefix and its own secret, CloudWatch alarms; one S3 bucket for
// recordings. Optional scale-to-zero: an HTTP API + Lambda that starts a stopped host.
import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ringcastUserData } from './user-data';
import { wakeHandlerSource } from './wake-handler';

export interface RingcastStackProps extends StackProps {
  /** Path of the .deb to upload as an S3 asset (scripts/package.sh builds it). */
  readonly debPath?: string;
  /** Or an https URL the hosts download the .deb from. */
  readonly debUrl?: string;
  /** Compute-optimised, non-burstable type (c-family). Default c7i.large. */
  readonly instanceType?: string;
  readonly hosts?: number;
  readonly udpPort?: number;
  /** SSM parameter holding the Debian 12 AMI id. */
  readonly amiSsmParameter?: string;
  readonly tuningProfile?: string;
  /** DNS name pointing at the Elastic IP: Caddy serves HTTPS on 443 for it. */
  readonly domainName?: string;
  readonly alarmEmail?: string;
  /** Days before recordings move to Glacier IR; expired after four times as long. */
  readonly recordingsTransitionDays?: number;
  /** Enables scale-to-zero: ringcast's idle hook stops the host after this (e.g. "15m"). */
  readonly idleTimeout?: string;
}

const kDebianAmi = '/aws/service/debian/release/bookworm/latest/amd64';

export function checkInstanceType(type: string): void {
  if (!/^c\d+[a-z]*\.\w+$/.test(type)) {
    throw new Error(`instance type ${type}: use a compute-optimised (c-family), non-burstable type`);
  }
}

export class RingcastStack extends Stack {
  constructor(scope: Construct, id: string, props: RingcastStackProps) {
    super(scope, id, props);
    const instanceType = props.instanceType ?? 'c7i.large';
    checkInstanceType(instanceType);
    if (!props.debPath === !props.debUrl) throw new Error('give exactly one of debPath or debUrl');
    if (props.debUrl && !props.debUrl.startsWith('https://')) throw new Error('debUrl must be https');

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    const bucket = new s3.Bucket(this, 'Recordings', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: 'age-out-recordings',
        transitions: [{
          storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
          transitionAfter: Duration.days(props.recordingsTransitionDays ?? 30),
        }],
        expiration: Duration.days(4 * (props.recordingsTransitionDays ?? 30)),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
    });
    const topic = new sns.Topic(this, 'Alarms');
    if (props.alarmEmail) topic.addSubscription(new subs.EmailSubscription(props.alarmEmail));
    const debAsset = props.debPath ? new Asset(this, 'Deb', { path: props.debPath }) : undefined;
    const image = ec2.MachineImage.fromSsmParameter(props.amiSsmParameter ?? kDebianAmi);

    for (let i = 0; i < (props.hosts ?? 1); i++) {
      new RingcastHost(this, `Host${i}`, {
        ...props, vpc, bucket, topic, image, debAsset, instanceType, prefix: `host${i}`,
      });
    }
    new CfnOutput(this, 'RecordingsBucket', { value: bucket.bucketName });
  }
}

interface HostProps extends RingcastStackProps {
  vpc: ec2.IVpc;
  bucket: s3.Bucket;
  topic: sns.Topic;
  image: ec2.IMachineImage;
  debAsset?: Asset;
  instanceType: string;
  prefix: string;
}

class RingcastHost extends Construct {
  constructor(scope: Construct, id: string, p: HostProps) {
    super(scope, id);
    const udpPort = p.udpPort ?? 7882;
    const sg = new ec2.SecurityGroup(this, 'Sg', {
      vpc: p.vpc,
      allowAllOutbound: true, // apt, S3, Secrets Manager, STUN/media replies
      description: 'ringcast: HTTPS, HTTP signalling, media UDP',
    });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS (Caddy in front of ringcast)');
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(7880), 'ringcast HTTP: WHIP/WHEP, healthz');
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.udp(udpPort), 'ringcast media (ICE-lite)');

    const secret = new secrets.Secret(this, 'ApiKey', {
      description: `ringcast API key and secret for ${p.prefix}`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ key: `API${p.prefix}` }),
        generateStringKey: 'secret',
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:GetObject'],
      resources: [p.bucket.arnForObjects(`${p.prefix}/*`)],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [p.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${p.prefix}/*`] } },
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretArn],
    }));
    if (p.debAsset) {
      role.addToPolicy(new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [p.debAsset.bucket.arnForObjects(p.debAsset.s3ObjectKey)],
      }));
    }

    const eip = new ec2.CfnEIP(this, 'Eip', { domain: 'vpc' });
    const userData = ec2.UserData.forLinux();
    userData.addCommands(...ringcastUserData({
      region: Stack.of(this).region,
      secretArn: secret.secretArn,
      publicIp: eip.attrPublicIp,
      udpPort,
      deb: p.debAsset ? { s3Url: p.debAsset.s3ObjectUrl } : { httpsUrl: p.debUrl! },
      tuningProfile: p.tuningProfile,
      domainName: p.domainName,
      idleTimeout: p.idleTimeout,
    }));
    const instance = new ec2.Instance(this, 'Instance', {
      vpc: p.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: new ec2.InstanceType(p.instanceType),
      machineImage: p.image,
      securityGroup: sg,
      role,
      userData,
      requireImdsv2: true,
      instanceInitiatedShutdownBehavior: ec2.InstanceInitiatedShutdownBehavior.STOP,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(16, { encrypted: true }) }],
    });
    new ec2.CfnEIPAssociation(this, 'EipAssoc', { allocationId: eip.attrAllocationId, instanceId: instance.instanceId });

    this.addAlarms(instance, p.topic);
    const url = p.domainName ? `https://${p.domainName}` : `http://${eip.attrPublicIp}:7880`;
    new CfnOutput(this, 'Url', { value: url });
    new CfnOutput(this, 'PublicIp', { value: eip.attrPublicIp });
    new CfnOutput(this, 'SecretArn', { value: secret.secretArn });
    if (p.idleTimeout) this.addWake(instance, eip, url);
  }

  private addAlarms(instance: ec2.Instance, topic: sns.Topic): void {
    const dims = { InstanceId: instance.instanceId };
    const metric = (name: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/EC2', metricName: name, dimensionsMap: dims, statistic, period: Duration.minutes(1),
    });
    const cpu = new cloudwatch.Alarm(this, 'CpuHigh', {
      metric: metric('CPUUtilization', 'Average'),
      threshold: 80, evaluationPeriods: 5, datapointsToAlarm: 5,
      alarmDescription: 'ringcast host above 80% CPU for 5 minutes: add a host (see Sizing a host)',
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const system = new cloudwatch.Alarm(this, 'SystemStatus', {
      metric: metric('StatusCheckFailed_System', 'Maximum'), threshold: 1, evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'EC2 system status check failed: the instance is recovered onto other hardware',
    });
    const inst = new cloudwatch.Alarm(this, 'InstanceStatus', {
      metric: metric('StatusCheckFailed_Instance', 'Maximum'), threshold: 1, evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'EC2 instance status check failed',
    });
    for (const a of [cpu, system, inst]) a.addAlarmAction(new cwActions.SnsAction(topic));
    system.addAlarmAction(new cwActions.Ec2Action(cwActions.Ec2InstanceAction.RECOVER));
  }

  private addWake(instance: ec2.Instance, eip: ec2.CfnEIP, url: string): void {
    const fn = new lambda.Function(this, 'Wake', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(wakeHandlerSource),
      timeout: Duration.seconds(10),
      environment: {
        INSTANCE_ID: instance.instanceId,
        HEALTH_URL: `http://${eip.attrPublicIp}:7880/healthz`,
        PUBLIC_URL: url,
      },
    });
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ec2:StartInstances'],
      resources: [Stack.of(this).formatArn({ service: 'ec2', resource: 'instance', resourceName: instance.instanceId })],
    }));
    const api = new apigw.HttpApi(this, 'WakeApi', { description: 'starts a stopped ringcast host' });
    api.addRoutes({ path: '/wake', methods: [apigw.HttpMethod.POST], integration: new HttpLambdaIntegration('WakeIntegration', fn) });
    const stage = api.defaultStage?.node.defaultChild as apigw.CfnStage;
    stage.defaultRouteSettings = { throttlingBurstLimit: 5, throttlingRateLimit: 1 };
    new CfnOutput(this, 'WakeUrl', { value: `${api.apiEndpoint}/wake` });
  }
}
