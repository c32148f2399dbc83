"""SQLAlchemy models, one module per aggregate; importing this registers them all."""

from app.models.appraisal_run import AppraisalRun, StaffParameterSet
from app.models.audit import AuditLog
from app.models.base import Base
from app.models.bundle import Bundle, BundleItem, BundleLimit, BundleStatus, LimitKind
from app.models.catalogue import (
    ProductPackage,
    ProductPackageLine,
    ProjectTemplate,
)
from app.models.geo import City, Country
from app.models.job import Job, JobStatus
from app.models.kpi import (
    DataImport,
    Direction,
    Kpi,
    KpiTarget,
    KpiValue,
    KpiValueChange,
    Sector,
)
from app.models.partner import (
    Instrument,
    Interest,
    InterestStatus,
    Match,
    PackageInterest,
    Partner,
    PartnerKind,
    PartnerStatus,
    RiskAppetite,
)
from app.models.programme import (
    KPI_DIMENSIONS,
    CommitteeMember,
    CommitteeVote,
    Engagement,
    EngagementStage,
    EngagementStep,
    Expert,
    LessonCase,
    Mission,
    MissionFinding,
    Requester,
    StakeholderGroup,
    TeamMember,
    Vote,
)
from app.models.progress import KpiActual, ProgressReport
from app.models.project import (
    CashFlowLine,
    DeliveryModel,
    FlowKind,
    PriceBasis,
    Project,
    ProjectFinancingPlan,
    Stage,
)
from app.models.review import Decision, Review
from app.models.sdg import SdgGoal, SdgIndicator, SdgTarget
from app.models.twinning import Twinning
from app.models.user import ApiToken, Invitation, LoginFailure, LoginSession, Role, User

__all__ = [
    "ApiToken",
    "AppraisalRun",
    "AuditLog",
    "Base",
    "Bundle",
    "BundleItem",
    "BundleLimit",
    "BundleStatus",
    "CashFlowLine",
    "City",
    "CommitteeMember",
    "CommitteeVote",
    "Country",
    "DataImport",
    "Decision",
    "DeliveryModel",
    "Engagement",
    "EngagementStage",
    "EngagementStep",
    "Expert",
    "KPI_DIMENSIONS",
    "Direction",
    "FlowKind",
    "Instrument",
    "Interest",
    "Job",
    "JobStatus",
    "InterestStatus",
    "Invitation",
    "Kpi",
    "KpiActual",
    "KpiTarget",
    "KpiValue",
    "KpiValueChange",
    "LessonCase",
    "LimitKind",
    "LoginFailure",
    "LoginSession",
    "Match",
    "Mission",
    "MissionFinding",
    "PackageInterest",
    "Partner",
    "PartnerKind",
    "PartnerStatus",
    "PriceBasis",
    "ProductPackage",
    "ProductPackageLine",
    "ProgressReport",
    "Project",
    "ProjectTemplate",
    "ProjectFinancingPlan",
    "Requester",
    "Review",
    "RiskAppetite",
    "Role",
    "SdgGoal",
    "StaffParameterSet",
    "SdgIndicator",
    "SdgTarget",
    "Sector",
    "Stage",
    "StakeholderGroup",
    "TeamMember",
    "Twinning",
    "User",
    "Vote",
]
