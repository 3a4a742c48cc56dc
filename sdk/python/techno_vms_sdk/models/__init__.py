"""Contains all the data models used in inputs/outputs"""

from .alert_kind import AlertKind
from .alert_rule_view import AlertRuleView
from .alert_view import AlertView
from .api_key_list import ApiKeyList
from .api_key_view import ApiKeyView
from .audit_page import AuditPage
from .audit_view import AuditView
from .audit_view_details import AuditViewDetails
from .bookmark_body import BookmarkBody
from .bookmark_page import BookmarkPage
from .bookmark_view import BookmarkView
from .bucket import Bucket
from .camera_analytics import CameraAnalytics
from .camera_list import CameraList
from .camera_ranges import CameraRanges
from .camera_view import CameraView
from .change_password import ChangePassword
from .component_view import ComponentView
from .create_api_key import CreateApiKey
from .create_camera import CreateCamera
from .create_export import CreateExport
from .create_role import CreateRole
from .create_site import CreateSite
from .create_tenant import CreateTenant
from .create_user import CreateUser
from .create_webhook import CreateWebhook
from .created_api_key import CreatedApiKey
from .delete_nvr_cameras import DeleteNvrCameras
from .deleted_camera import DeletedCamera
from .delivery_view import DeliveryView
from .delivery_view_body import DeliveryViewBody
from .device_view import DeviceView
from .error_body import ErrorBody
from .event_histogram import EventHistogram
from .event_page import EventPage
from .event_view import EventView
from .event_view_attributes import EventViewAttributes
from .export_key import ExportKey
from .export_page import ExportPage
from .export_view import ExportView
from .exports_usage import ExportsUsage
from .feed_ticket import FeedTicket
from .found_device_view import FoundDeviceView
from .grant_view import GrantView
from .import_nvr import ImportNvr
from .install_license_body import InstallLicenseBody
from .layout_list import LayoutList
from .layout_view import LayoutView
from .license_view import LicenseView
from .line import Line
from .login_request import LoginRequest
from .logout_request import LogoutRequest
from .me_response import MeResponse
from .me_response_access import MeResponseAccess
from .mqtt_view import MqttView
from .multi_ranges import MultiRanges
from .new_preset import NewPreset
from .nvr_channel_view import NvrChannelView
from .nvr_detail import NvrDetail
from .nvr_list import NvrList
from .nvr_vendor import NvrVendor
from .nvr_view import NvrView
from .onboard_camera import OnboardCamera
from .onboarded import Onboarded
from .password_reset_view import PasswordResetView
from .permission_view import PermissionView
from .plane_status_view import PlaneStatusView
from .plane_view import PlaneView
from .plane_view_analytics_item import PlaneViewAnalyticsItem
from .plane_view_storage_item import PlaneViewStorageItem
from .post_event import PostEvent
from .post_event_attributes_type_0 import PostEventAttributesType0
from .posted_event import PostedEvent
from .preset_list import PresetList
from .preset_view import PresetView
from .ptz_move import PtzMove
from .ptz_position import PtzPosition
from .ptz_status_view import PtzStatusView
from .purpose_input import PurposeInput
from .ready_view import ReadyView
from .ready_view_alerts import ReadyViewAlerts
from .ready_view_components import ReadyViewComponents
from .recorded_ranges import RecordedRanges
from .recording_settings import RecordingSettings
from .refresh_request import RefreshRequest
from .reset_password import ResetPassword
from .role import Role
from .role_input_type_1 import RoleInputType1
from .role_list import RoleList
from .role_view import RoleView
from .rule_body import RuleBody
from .rule_body_actions_item import RuleBodyActionsItem
from .rule_body_conditions import RuleBodyConditions
from .rule_view import RuleView
from .rule_view_actions_item import RuleViewActionsItem
from .rule_view_conditions import RuleViewConditions
from .save_layout import SaveLayout
from .scan_progress import ScanProgress
from .scan_started import ScanStarted
from .scan_state import ScanState
from .scan_view import ScanView
from .schedule_range import ScheduleRange
from .severity import Severity
from .site_list import SiteList
from .site_view import SiteView
from .start_scan import StartScan
from .stream_input import StreamInput
from .stream_state_view import StreamStateView
from .stream_view import StreamView
from .system_view import SystemView
from .system_view_components import SystemViewComponents
from .tenant_admin import TenantAdmin
from .tenant_cameras_view import TenantCamerasView
from .tenant_list import TenantList
from .tenant_streams_view import TenantStreamsView
from .tenant_streams_view_by_status import TenantStreamsViewByStatus
from .tenant_system_view import TenantSystemView
from .tenant_system_view_components import TenantSystemViewComponents
from .tenant_view import TenantView
from .ticket_request import TicketRequest
from .ticket_view import TicketView
from .time_range import TimeRange
from .token_response import TokenResponse
from .transport_kind import TransportKind
from .update_alert_rule import UpdateAlertRule
from .update_camera import UpdateCamera
from .update_role import UpdateRole
from .update_site import UpdateSite
from .update_tenant import UpdateTenant
from .update_user import UpdateUser
from .update_webhook import UpdateWebhook
from .user_list import UserList
from .user_view import UserView
from .webhook_view import WebhookView
from .zone import Zone

__all__ = (
    "AlertKind",
    "AlertRuleView",
    "AlertView",
    "ApiKeyList",
    "ApiKeyView",
    "AuditPage",
    "AuditView",
    "AuditViewDetails",
    "BookmarkBody",
    "BookmarkPage",
    "BookmarkView",
    "Bucket",
    "CameraAnalytics",
    "CameraList",
    "CameraRanges",
    "CameraView",
    "ChangePassword",
    "ComponentView",
    "CreateApiKey",
    "CreateCamera",
    "CreatedApiKey",
    "CreateExport",
    "CreateRole",
    "CreateSite",
    "CreateTenant",
    "CreateUser",
    "CreateWebhook",
    "DeletedCamera",
    "DeleteNvrCameras",
    "DeliveryView",
    "DeliveryViewBody",
    "DeviceView",
    "ErrorBody",
    "EventHistogram",
    "EventPage",
    "EventView",
    "EventViewAttributes",
    "ExportKey",
    "ExportPage",
    "ExportsUsage",
    "ExportView",
    "FeedTicket",
    "FoundDeviceView",
    "GrantView",
    "ImportNvr",
    "InstallLicenseBody",
    "LayoutList",
    "LayoutView",
    "LicenseView",
    "Line",
    "LoginRequest",
    "LogoutRequest",
    "MeResponse",
    "MeResponseAccess",
    "MqttView",
    "MultiRanges",
    "NewPreset",
    "NvrChannelView",
    "NvrDetail",
    "NvrList",
    "NvrVendor",
    "NvrView",
    "OnboardCamera",
    "Onboarded",
    "PasswordResetView",
    "PermissionView",
    "PlaneStatusView",
    "PlaneView",
    "PlaneViewAnalyticsItem",
    "PlaneViewStorageItem",
    "PostedEvent",
    "PostEvent",
    "PostEventAttributesType0",
    "PresetList",
    "PresetView",
    "PtzMove",
    "PtzPosition",
    "PtzStatusView",
    "PurposeInput",
    "ReadyView",
    "ReadyViewAlerts",
    "ReadyViewComponents",
    "RecordedRanges",
    "RecordingSettings",
    "RefreshRequest",
    "ResetPassword",
    "Role",
    "RoleInputType1",
    "RoleList",
    "RoleView",
    "RuleBody",
    "RuleBodyActionsItem",
    "RuleBodyConditions",
    "RuleView",
    "RuleViewActionsItem",
    "RuleViewConditions",
    "SaveLayout",
    "ScanProgress",
    "ScanStarted",
    "ScanState",
    "ScanView",
    "ScheduleRange",
    "Severity",
    "SiteList",
    "SiteView",
    "StartScan",
    "StreamInput",
    "StreamStateView",
    "StreamView",
    "SystemView",
    "SystemViewComponents",
    "TenantAdmin",
    "TenantCamerasView",
    "TenantList",
    "TenantStreamsView",
    "TenantStreamsViewByStatus",
    "TenantSystemView",
    "TenantSystemViewComponents",
    "TenantView",
    "TicketRequest",
    "TicketView",
    "TimeRange",
    "TokenResponse",
    "TransportKind",
    "UpdateAlertRule",
    "UpdateCamera",
    "UpdateRole",
    "UpdateSite",
    "UpdateTenant",
    "UpdateUser",
    "UpdateWebhook",
    "UserList",
    "UserView",
    "WebhookView",
    "Zone",
)
